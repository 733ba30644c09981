package io.mallgate.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The inputs every benchmark shares: what an internal app sends through the gateway and what Cafe24 answers. Made
 * up, but shaped like real traffic; no value here is a real credential.
 */
public final class Requests {

  /** The raw path of a list call; its query ({@code ?product_no=1,2,3&limit=100}) is not part of the path. */
  public static final String LIST_PATH = "/malls/myshop01/api/v2/admin/products";
  /** A deeper path: a product's variant inventories. */
  public static final String DEEP_PATH = "/malls/myshop01/api/v2/admin/products/1234/variants/P000000X000A/inventories";
  public static final String QUERY = "product_no=1,2,3&limit=100";
  /** A Cafe24 access token has the shape of 22 letters and digits. */
  public static final String ACCESS_TOKEN = "benchA1b2C3d4E5f6G7h8I9";
  public static final String REQUEST_ID = "0c9d4b1e6f2a4c3d8e7f5a6b1c2d3e4f";

  private Requests() {
  }

  /**
   * Eleven headers from an internal app on a keep-alive connection, in the map type Vert.x's HTTP/1.1 server hands
   * the handler ({@code HeadersMultiMap}): four of them must not reach Cafe24 (its own {@code Authorization}, a
   * {@code Cookie}, {@code X-Forwarded-For}, {@code Connection}), {@code Host} and {@code X-Request-Id} are replaced.
   */
  public static MultiMap callerHeaders() {
    return HttpHeaders.headers()
        .add("Host", "mallgate.internal:8080")
        .add("User-Agent", "order-sync/2.4.1 okhttp/4.12.0")
        .add("Accept", "application/json")
        .add("Accept-Encoding", "gzip")
        .add("Content-Type", "application/json; charset=utf-8")
        .add("X-Request-Id", "order-sync-7f3c2a1e-5b4d-4e6f-9a8b-1c2d3e4f5a6b")
        .add("X-Cafe24-Api-Version", "2025-12-01")
        .add("Connection", "keep-alive")
        .add("Authorization", "Basic b3JkZXItc3luYzpub3QtYS1zZWNyZXQ=")
        .add("Cookie", "session=not-a-session")
        .add("X-Forwarded-For", "10.20.3.17");
  }

  /**
   * Twelve headers of a Cafe24 answer to a list call: the usage headers must come back, the hop-by-hop ones
   * ({@code Connection}, {@code Keep-Alive}) and an upstream {@code X-Request-Id} must not.
   */
  public static MultiMap upstreamHeaders() {
    return HttpHeaders.headers()
        .add("Date", "Tue, 01 Dec 2026 22:04:32 GMT")
        .add("Content-Type", "application/json; charset=utf-8")
        .add("Content-Length", "18342")
        .add("Connection", "keep-alive")
        .add("Keep-Alive", "timeout=5")
        .add("Server", "nginx")
        .add("Vary", "Accept-Encoding")
        .add("X-Api-Call-Limit", "3/40")
        .add("X-Cafe24-Call-Usage", "8")
        .add("X-Cafe24-Time-Usage", "12")
        .add("X-Request-Id", "upstream-2f6c1d0e")
        .add("Strict-Transport-Security", "max-age=31536000");
  }
}
