package io.mallgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which GETs may share a call, and what tells two of them apart: the key is the whole of the decision. */
class CoalesceKeyTest {

  private static final String PATH = "/malls/shop/api/v2/admin/products";

  @Test
  void should_give_equal_keys_when_path_query_and_representation_headers_are_equal() {
    MultiMap one = headers("Accept", "application/json", "User-Agent", "a", "X-Trace", "1");
    MultiMap two = headers("accept", "application/json", "User-Agent", "b", "X-Trace", "2");

    assertEquals(key(HttpMethod.GET, PATH, "limit=1", one), key(HttpMethod.GET, PATH, "limit=1", two));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Accept               | application/xml
      Accept-Encoding      | gzip
      Accept-Language      | ko-KR
      X-Cafe24-Api-Version | 2025-06-01
      Origin               | https://admin.example
      """)
  void should_tell_requests_apart_when_a_header_that_chooses_the_answer_differs(String name, String value) {
    assertNotEquals(key(HttpMethod.GET, PATH, null, headers()), key(HttpMethod.GET, PATH, null, headers(name, value)));
  }

  @Test
  void should_tell_requests_apart_when_the_mall_the_api_or_the_query_differs() {
    CoalesceKey base = key(HttpMethod.GET, PATH, "a=1", headers());

    assertNotEquals(base, key(HttpMethod.GET, "/malls/other/api/v2/admin/products", "a=1", headers()));
    assertNotEquals(base, key(HttpMethod.GET, "/malls/shop/api/v2/products", "a=1", headers()));
    assertNotEquals(base, key(HttpMethod.GET, PATH, "a=2", headers()));
    assertNotEquals(base, key(HttpMethod.GET, PATH, "a=1&a=1", headers()));
    assertNotEquals(base, key(HttpMethod.GET, PATH, null, headers()));
  }

  @Test
  void should_count_every_value_when_a_keyed_header_is_sent_twice() {
    assertNotEquals(key(HttpMethod.GET, PATH, null, headers("Accept", "application/json")),
        key(HttpMethod.GET, PATH, null, headers("Accept", "application/json", "Accept", "text/csv")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      If-None-Match       | "abc"
      If-Modified-Since   | Sat, 01 Jan 2000 00:00:00 GMT
      If-Match            | "abc"
      If-Unmodified-Since | Sat, 01 Jan 2000 00:00:00 GMT
      If-Range            | "abc"
      Range               | bytes=0-9
      Cache-Control       | no-cache
      Cache-Control       | max-age=0, No-Store
      Pragma              | no-cache
      Expect              | 100-continue
      Content-Length      | 5
      Transfer-Encoding   | chunked
      Accept-Charset      | utf-8
      Access-Control-Request-Method | GET
      """)
  void should_give_a_request_its_own_call_when_it_carries(String name, String value) {
    assertNull(key(HttpMethod.GET, PATH, null, headers(name, value)));
  }

  @Test
  void should_share_when_the_headers_only_look_like_those_that_keep_a_call_apart() {
    assertNotNull(key(HttpMethod.GET, PATH, null, headers("Content-Length", "0", "Cache-Control", "max-age=60",
        "Pragma", "x", "Iframe", "1")));
  }

  @Test
  void should_never_share_other_methods() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.DELETE, HttpMethod.OPTIONS}) {
      assertNull(key(method, PATH, null, headers()), method.name());
    }
  }

  @Test
  void should_never_share_a_front_api_call_carrying_the_callers_authorization() {
    MultiMap customer = headers("Authorization", "Bearer customer-token");

    assertNull(CoalesceKey.of(HttpMethod.GET, "/malls/shop/api/v2/products", null, customer, true));
    assertNotNull(CoalesceKey.of(HttpMethod.GET, "/malls/shop/api/v2/products", null, headers(), true),
        "the app's own credentials: the same for every caller");
    assertNotNull(CoalesceKey.of(HttpMethod.GET, PATH, null, customer, false),
        "the Admin API never forwards the caller's Authorization");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Accept-Encoding                                                        | false
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' | false
      'accept, X-Cafe24-Api-Version, Authorization, Cookie, If-None-Match'    | false
      User-Agent                                                             | true
      'Accept-Encoding, X-Tenant'                                            | true
      *                                                                      | true
      """)
  void should_tell_whether_an_answer_varies_beyond_the_key_when_reading_its_vary(String vary, boolean beyond) {
    assertEquals(beyond, CoalesceKey.variesBeyondKey(java.util.List.of(vary)));
  }

  private static CoalesceKey key(HttpMethod method, String path, String query, MultiMap headers) {
    return CoalesceKey.of(method, path, query, headers, false);
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
