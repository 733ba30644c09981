/**
 * Tests that keep what ships beside the code consistent with it, since no Docker engine or cluster runs in the build:
 * docker/ (image, compose, Kubernetes manifests) against the gateway's real configuration keys, routes and timings,
 * and the manual (README.md, docs/) against the files and headings it links to.
 */
package io.mallgate.packaging;
