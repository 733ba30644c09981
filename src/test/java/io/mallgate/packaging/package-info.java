/**
 * Tests that keep docker/ (image, compose, Kubernetes manifests) consistent with the gateway's real configuration
 * keys, routes and timings, since no Docker engine or cluster runs in the build.
 */
package io.mallgate.packaging;
