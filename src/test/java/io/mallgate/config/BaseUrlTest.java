package io.mallgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class BaseUrlTest {

  @Test
  void should_put_the_mall_in_the_host_when_the_placeholder_is_in_the_host() {
    BaseUrl url = BaseUrl.parse("https://{mall}.cafe24api.com");
    assertEquals("demo.cafe24api.com", url.host("demo"));
    assertEquals(443, url.port());
    assertEquals("", url.pathPrefix("demo"));
    assertEquals("https://demo.cafe24api.com/api/v2/oauth/token", url.url("demo", "/api/v2/oauth/token"));
  }

  @Test
  void should_put_the_mall_in_the_path_when_the_placeholder_is_in_the_path() {
    BaseUrl url = BaseUrl.parse("http://127.0.0.1:9000/{mall}");
    assertEquals("127.0.0.1", url.host("demo"));
    assertEquals(9000, url.port());
    assertEquals("/demo", url.pathPrefix("demo"));
    assertEquals("http://127.0.0.1:9000/demo/api/v2/admin/products", url.url("demo", "/api/v2/admin/products"));
  }

  @Test
  void should_put_the_mall_everywhere_the_placeholder_stands() {
    BaseUrl url = BaseUrl.parse("http://{mall}.local:8080/shops/{mall}/v/{mall}");
    assertEquals("demo.local", url.host("demo"));
    assertEquals("/shops/demo/v/demo", url.pathPrefix("demo"));
    assertEquals("/shops/other/v/other", url.pathPrefix("other"));
    assertEquals("http://demo.local:8080/shops/demo/v/demo/api/v2/x", url.url("demo", "/api/v2/x"));
  }

  @Test
  void should_be_equal_when_the_templates_are() {
    assertEquals(BaseUrl.parse("https://{mall}.x"), BaseUrl.parse("https://{mall}.x"));
    assertEquals(BaseUrl.parse("https://{mall}.x").hashCode(), BaseUrl.parse("https://{mall}.x").hashCode());
    assertNotEquals(BaseUrl.parse("https://{mall}.x"), BaseUrl.parse("https://{mall}.y"));
  }
}
