package io.mallgate.proxy;

import io.mallgate.edge.PathSafety;
import io.mallgate.cafe24.MallId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyTargetTest {

  @Test
  void should_split_mall_and_api_path_when_path_is_valid() {
    ProxyTarget target = ProxyTarget.parse("/malls/my-shop2/api/v2/admin/products/12");
    assertEquals("my-shop2", target.mall());
    assertEquals("/api/v2/admin/products/12", target.apiPath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v2/oauthx", "/api/v2/OAuthz/token", "/api/v2/admin/oauth", "/api/v3/oauth/token",
      "/api/v2/admin/products/P000000X000A"})
  void should_accept_path_when_it_only_looks_like_the_oauth_endpoints(String apiPath) {
    assertEquals(apiPath, ProxyTarget.parse("/malls/demo" + apiPath).apiPath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v2/admin", "/api/v2/admin/", "/api/v2/admin/products", "/api/v2/admin/products/%ED%95%9C",
      "/api/v2/admin/products/Admin"})
  void should_take_path_for_the_admin_api_when_it_is_spelled_exactly_so(String apiPath) {
    ProxyTarget target = ProxyTarget.parse("/malls/demo" + apiPath);
    assertFalse(target.front(), apiPath);
    assertEquals(apiPath, target.apiPath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v2/products", "/api/v2/products/11", "/api/v2/categories", "/api/v2/adminx",
      "/api/v2/adminx/products", "/api/v2/admin-x/products", "/api/v2/admin%20x", "/api/v2/admi", "/api/v2/",
      "/api/v2", "/api/v2/products/admin", "/api/v3/admin/products", "/api/v1/admin"})
  void should_take_path_for_the_front_api_when_it_is_not_under_the_admin_api(String apiPath) {
    ProxyTarget target = ProxyTarget.parse("/malls/demo" + apiPath);
    assertTrue(target.front(), apiPath);
    assertEquals(apiPath, target.apiPath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v2/Admin/products", "/api/v2/ADMIN", "/api/v2/aDmin/", "/api/V2/admin/products",
      "/api/v2/%61dmin/products", "/api/v2/admi%6E", "/api/v2/admi%6e/products", "/api/%762/admin/products"})
  void should_refuse_path_when_only_cafe24_could_tell_whether_it_is_the_admin_api(String apiPath) {
    GatewayFailure failure = assertThrows(GatewayFailure.class, () -> ProxyTarget.parse("/malls/demo" + apiPath));
    assertEquals(ErrorCode.INVALID_PATH, failure.code());
    assertTrue(failure.getMessage().contains("/api/v2/admin"), failure.getMessage());
  }

  @Test
  void should_keep_percent_encoding_verbatim_when_it_is_harmless() {
    assertEquals("/api/v2/admin/products/%ED%95%9C", ProxyTarget.parse("/malls/demo/api/v2/admin/products/%ED%95%9C").apiPath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.com%23", "evil.com#", "a.b", "127.0.0.1", "m:8080", "Demo", "DEMO", "-shop", "shop-",
      "sh%6Fp", "%00", "sh_op", "",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 */})
  void should_refuse_mall_id_when_it_is_not_a_dns_label(String mall) {
    GatewayFailure failure = assertThrows(GatewayFailure.class,
        () -> ProxyTarget.parse("/malls/" + mall + "/api/v2/admin/products"));
    assertEquals(mall.isEmpty() ? ErrorCode.INVALID_MALL_ID : ErrorCode.INVALID_MALL_ID, failure.code());
  }

  @Test
  void should_accept_mall_id_when_it_has_63_characters() {
    String mall = "a".repeat(63);
    assertEquals(mall, ProxyTarget.parse("/malls/" + mall + "/api/v2/admin/store").mall());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v2/%2e%2e/oauth/token", "/api/%2E%2E/admin", "/api/v2/../../x", "/api/v2/..%2f..%2fx",
      "/api/v2%2Fadmin", "/api/v2/admin%2fproducts", "//api/v2/admin", "/api//v2/admin", "/api/v2/%00/admin",
      "/api/v2/admin%5Cproducts", "/api/v2/./admin", "/api/v2/%2e/admin", "/api/v2/admin/%", "/api/v2/admin/%zz",
      "/api/v2/oauth/token", "/api/v2/OAuth/token", "/api/v2/o%61uth/token", "/api/v2/oauth", "/other/v2",
      "/api/V2/OAUTH", "/api/v2/oAuth/", "/api/v2/%4fauth/x",
      "/api", "", "/ap%69/v2/admin/x/../..", "/api/v2/admin/%0d%0aX-Injected:1"})
  void should_refuse_path_when_it_is_not_a_plain_api_path(String apiPath) {
    GatewayFailure failure = assertThrows(GatewayFailure.class, () -> ProxyTarget.parse("/malls/demo" + apiPath));
    assertEquals(ErrorCode.INVALID_PATH, failure.code());
  }

  @Test
  void should_treat_dot_like_names_as_ordinary_segments_when_they_are_not_dot_segments() {
    assertTrue(PathSafety.isSafe("/api/v2/admin/...x/..y/.z"));
    assertFalse(PathSafety.isSafe("/api/v2/admin/.%2E"));
  }

  @Test
  void should_accept_mall_id_rule_without_allocation_when_valid() {
    assertTrue(MallId.isValid("a"));
    assertTrue(MallId.isValid("a-b"));
    assertFalse(MallId.isValid("a--"));
    assertFalse(MallId.isValid(null));
  }
}
