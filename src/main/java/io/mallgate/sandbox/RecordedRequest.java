package io.mallgate.sandbox;

import io.vertx.core.MultiMap;

/**
 * One Admin or Front API request as the simulated Cafe24 received it, recorded before any check so that refused calls show
 * too. The headers include {@code Authorization}: records exist for tests and must never be logged.
 *
 * @param mall the mall from the path's first segment
 * @param method the HTTP method, e.g. {@code GET}
 * @param uri the raw path and query exactly as received
 * @param headers a case-insensitive copy of the request headers, detached from the live request
 */
public record RecordedRequest(String mall, String method, String uri, MultiMap headers) {

  @Override
  public String toString() {
    return "RecordedRequest[" + method + " " + uri + ", mall=" + mall + "]";
  }
}
