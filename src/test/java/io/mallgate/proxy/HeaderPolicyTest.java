package io.mallgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HeaderPolicyTest {

  private final HeaderPolicy policy = new HeaderPolicy("2025-06-01");

  @Test
  void should_drop_credentials_and_hop_by_hop_when_building_upstream_headers() {
    MultiMap caller = HttpHeaders.headers()
        .add("Authorization", "Bearer caller-secret")
        .add("Cookie", "session=1")
        .add("Proxy-Authorization", "Basic x")
        .add("Connection", "keep-alive, X-Private-Hop")
        .add("X-Private-Hop", "1")
        .add("Keep-Alive", "timeout=5")
        .add("TE", "trailers")
        .add("Upgrade", "h2c")
        .add("Host", "gateway.internal")
        .add("X-Forwarded-For", "10.0.0.1")
        .add("Forwarded", "for=10.0.0.1")
        .add("Expect", "100-continue")
        .add("Content-Type", "application/json")
        .add("Content-Length", "12")
        .add("X-Custom", "kept");

    MultiMap upstream = toUpstream(policy, caller);

    assertEquals("Bearer TOKEN", upstream.get("Authorization"));
    for (String dropped : new String[] {"Cookie", "Proxy-Authorization", "Connection", "X-Private-Hop", "Keep-Alive",
        "TE", "Upgrade", "Host", "X-Forwarded-For", "Forwarded", "Expect"}) {
      assertNull(upstream.get(dropped), dropped);
    }
    assertEquals("application/json", upstream.get("Content-Type"));
    assertEquals("12", upstream.get("Content-Length"));
    assertEquals("kept", upstream.get("X-Custom"));
    assertEquals("rid-1", upstream.get("X-Request-Id"));
    assertEquals("2025-06-01", upstream.get("X-Cafe24-Api-Version"));
  }

  @Test
  void should_keep_callers_api_version_when_caller_sends_one() {
    MultiMap upstream = toUpstream(policy, HttpHeaders.headers().add("X-Cafe24-Api-Version", "2024-12-01"));
    assertEquals(1, upstream.getAll("X-Cafe24-Api-Version").size());
    assertEquals("2024-12-01", upstream.get("X-Cafe24-Api-Version"));
  }

  @Test
  void should_send_no_api_version_when_neither_caller_nor_config_has_one() {
    assertNull(toUpstream(new HeaderPolicy(""), HttpHeaders.headers()).get("X-Cafe24-Api-Version"));
  }

  @Test
  void should_pass_rate_headers_and_drop_hop_by_hop_when_copying_the_response() {
    MultiMap upstream = HttpHeaders.headers()
        .add("X-Api-Call-Limit", "3/40")
        .add("X-Cafe24-Call-Usage", "10")
        .add("Connection", "close, X-Up-Hop")
        .add("X-Up-Hop", "1")
        .add("Transfer-Encoding", "chunked")
        .add("X-Mallgate-Error", "spoofed")
        .add("Content-Type", "application/json");
    MultiMap response = HttpHeaders.headers();

    policy.copyDownstream(upstream, response);

    assertEquals("3/40", response.get("X-Api-Call-Limit"));
    assertEquals("10", response.get("X-Cafe24-Call-Usage"));
    assertEquals("application/json", response.get("Content-Type"));
    assertFalse(response.contains("Connection"));
    assertFalse(response.contains("X-Up-Hop"));
    assertFalse(response.contains("Transfer-Encoding"));
    assertFalse(response.contains("X-Mallgate-Error"));
  }

  @Test
  void should_match_names_in_any_case_when_filtering_both_ways() {
    MultiMap caller = HttpHeaders.headers()
        .add("AUTHORIZATION", "Bearer caller-secret")
        .add("x-FORWARDED-proto", "https")
        .add("connection", "Keep-Alive")
        .add("Connection", " x-private-hop ,, ")
        .add("X-PRIVATE-HOP", "1")
        .add("KEEP-ALIVE", "timeout=5")
        .add("x-cafe24-api-version", "2024-12-01")
        .add("accept", "application/json");

    MultiMap upstream = toUpstream(policy, caller);

    assertEquals(List.of("accept", "authorization", "x-cafe24-api-version", "x-request-id"), lowerCaseNames(upstream));
    assertEquals("Bearer TOKEN", upstream.get("Authorization"));
    assertEquals("2024-12-01", upstream.get("X-Cafe24-Api-Version"));

    MultiMap answer = HttpHeaders.headers()
        .add("CONNECTION", "close")
        .add("connection", "X-UP-HOP")
        .add("x-up-hop", "1")
        .add("TRANSFER-ENCODING", "chunked")
        .add("x-mallgate-error", "spoofed")
        .add("X-REQUEST-ID", "upstream-id")
        .add("X-Api-Call-Limit", "3/40");
    MultiMap response = HttpHeaders.headers();

    policy.copyDownstream(answer, response);

    assertEquals(List.of("x-api-call-limit"), lowerCaseNames(response));
  }

  /** The upstream request's headers, built as the proxy builds them: into the request's own new map. */
  private static MultiMap toUpstream(HeaderPolicy policy, MultiMap caller) {
    MultiMap upstream = HttpHeaders.headers();
    policy.copyUpstream(caller, upstream, "TOKEN", "rid-1");
    return upstream;
  }

  private static List<String> lowerCaseNames(MultiMap headers) {
    return headers.names().stream().map(name -> name.toLowerCase(Locale.ROOT)).sorted().toList();
  }
}
