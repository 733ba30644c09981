package io.mallgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderPolicyTest {

  private static final String CLIENT_ID = "app-client-id";
  private static final String FRONT_KEY = "front-key-3b9c";
  /** base64("app-client-id:front-key-3b9c"), worked out independently of the code under test. */
  private static final String FRONT_BASIC = "Basic YXBwLWNsaWVudC1pZDpmcm9udC1rZXktM2I5Yw==";

  private final HeaderPolicy policy = new HeaderPolicy("2025-06-01", CLIENT_ID, "");
  private final HeaderPolicy keyed = new HeaderPolicy("2025-06-01", CLIENT_ID, FRONT_KEY);

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
  void should_keep_the_gateways_own_headers_here_when_building_upstream_headers() {
    MultiMap caller = HttpHeaders.headers().add("X-Mallgate-App", "orders-sync").add("x-mallgate-error", "spoofed")
        .add("X-MALLGATE-Anything", "1").add("X-Mall", "kept");

    MultiMap upstream = toUpstream(policy, caller);

    assertNull(upstream.get("X-Mallgate-App"));
    assertNull(upstream.get("X-Mallgate-Error"));
    assertNull(upstream.get("X-Mallgate-Anything"));
    assertEquals("kept", upstream.get("X-Mall"));
  }

  @Test
  void should_keep_the_trace_context_and_baggage_inside_when_building_upstream_headers_of_either_api() {
    MultiMap caller = HttpHeaders.headers()
        .add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .add("TraceState", "vendor=internal-value")
        .add("Baggage", "tenant=internal")
        .add("X-Custom", "kept");

    for (MultiMap upstream : List.of(toUpstream(policy, caller), toFront(policy, caller))) {
      assertNull(upstream.get("traceparent"));
      assertNull(upstream.get("tracestate"));
      assertNull(upstream.get("baggage"));
      assertEquals("kept", upstream.get("X-Custom"));
    }
  }

  @Test
  void should_keep_callers_api_version_when_caller_sends_one() {
    MultiMap upstream = toUpstream(policy, HttpHeaders.headers().add("X-Cafe24-Api-Version", "2024-12-01"));
    assertEquals(1, upstream.getAll("X-Cafe24-Api-Version").size());
    assertEquals("2024-12-01", upstream.get("X-Cafe24-Api-Version"));
  }

  @Test
  void should_send_no_api_version_when_neither_caller_nor_config_has_one() {
    assertNull(toUpstream(new HeaderPolicy("", CLIENT_ID, ""), HttpHeaders.headers()).get("X-Cafe24-Api-Version"));
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
        .add("Set-Cookie", "CUK45=cuk45_mall; path=/")
        .add("set-cookie", "ECSESSID=abc; HttpOnly")
        .add("Set-Cookie2", "old=1")
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
    assertFalse(response.contains("Set-Cookie"));
    assertFalse(response.contains("Set-Cookie2"));
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

  @Test
  void should_send_client_id_and_no_authorization_when_front_api_call_has_no_key_and_no_customer_bearer() {
    MultiMap upstream = toFront(policy, HttpHeaders.headers().add("Accept", "application/json"));

    assertEquals(CLIENT_ID, upstream.get("X-Cafe24-Client-Id"));
    assertNull(upstream.get("Authorization"));
    assertEquals("application/json", upstream.get("Accept"));
    assertEquals("rid-1", upstream.get("X-Request-Id"));
    assertEquals("2025-06-01", upstream.get("X-Cafe24-Api-Version"));
  }

  @Test
  void should_send_basic_of_client_id_and_front_key_when_front_api_key_is_set() {
    MultiMap upstream = toFront(keyed, HttpHeaders.headers());

    assertEquals(List.of(FRONT_BASIC), upstream.getAll("Authorization"));
    assertEquals(CLIENT_ID, upstream.get("X-Cafe24-Client-Id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer customer-token-1", "bearer customer-token-1", "BEARER  customer-token-1"})
  void should_pass_the_callers_bearer_when_front_api_call_carries_a_customer_token(String authorization) {
    for (HeaderPolicy each : List.of(policy, keyed)) {
      MultiMap upstream = toFront(each, HttpHeaders.headers().add("Authorization", authorization));
      assertEquals(List.of(authorization), upstream.getAll("Authorization"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic Y2FsbGVyOnNlY3JldA==", "Bearer ", "Bearer   ", "Bearertoken", "Token abc", ""})
  void should_drop_the_callers_authorization_when_front_api_call_carries_no_usable_bearer(String authorization) {
    assertNull(toFront(policy, HttpHeaders.headers().add("Authorization", authorization)).get("Authorization"));
    assertEquals(List.of(FRONT_BASIC),
        toFront(keyed, HttpHeaders.headers().add("Authorization", authorization)).getAll("Authorization"));
  }

  @Test
  void should_replace_the_callers_client_id_when_front_api_call_carries_one() {
    MultiMap caller = HttpHeaders.headers()
        .add("X-Cafe24-Client-Id", "someone-else")
        .add("x-cafe24-client-id", "someone-else-2");

    MultiMap upstream = toFront(policy, caller);

    assertEquals(List.of(CLIENT_ID), upstream.getAll("X-Cafe24-Client-Id"));
  }

  @Test
  void should_drop_callers_client_id_and_bearer_and_send_no_front_credentials_when_admin_api_call() {
    MultiMap caller = HttpHeaders.headers()
        .add("X-Cafe24-Client-Id", "someone-else")
        .add("Authorization", "Bearer customer-token-1");

    MultiMap upstream = toUpstream(keyed, caller);

    assertEquals(List.of("Bearer TOKEN"), upstream.getAll("Authorization"));
    assertNull(upstream.get("X-Cafe24-Client-Id"));
  }

  @Test
  void should_refuse_to_build_when_client_id_is_empty() {
    assertThrows(IllegalArgumentException.class, () -> new HeaderPolicy("", "", FRONT_KEY));
  }

  private static MultiMap toFront(HeaderPolicy policy, MultiMap caller) {
    MultiMap upstream = HttpHeaders.headers();
    policy.copyFrontUpstream(caller, upstream, "rid-1");
    return upstream;
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
