package io.mallgate.edge;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The paths the public listener ({@code server.publicPort}) serves: what merchants' browsers and Cafe24 must reach.
 * Matched against the raw request path, exactly: a path the router would first normalise (dot segments, doubled or
 * encoded slashes, a trailing slash) is not one of these, so nothing can be smuggled through to another route.
 */
public final class PublicPaths {

  private static final Set<String> EXACT = Set.of("/oauth/install", "/oauth/callback", "/webhook", "/health/live");
  /** Named webhook routes: the route names {@code webhook.routes} allows. */
  private static final Pattern NAMED_WEBHOOK = Pattern.compile("/webhook/[a-z0-9_-]{1,63}");

  private PublicPaths() {
  }

  /** Whether the public listener serves {@code rawPath} (the request's path as received, without the query). */
  public static boolean allows(String rawPath) {
    return rawPath != null && (EXACT.contains(rawPath) || NAMED_WEBHOOK.matcher(rawPath).matches());
  }
}
