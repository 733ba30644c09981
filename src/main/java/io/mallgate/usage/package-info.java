/**
 * Which internal app spent each mall's Cafe24 budget: calls through the gateway, calls sent to Cafe24 and Cafe24's
 * 429s, per mall and app ({@code X-Mallgate-App}) over the last hour, counted in memory on the request path and shared
 * through Redis in batches when the gateway runs on Redis. Uses {@code config}, {@code edge} and {@code redis}.
 */
package io.mallgate.usage;
