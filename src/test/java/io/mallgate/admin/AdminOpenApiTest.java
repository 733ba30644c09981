package io.mallgate.admin;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The admin API's OpenAPI description parses and names exactly the admin routes the gateway mounts. */
@Timeout(60)
class AdminOpenApiTest {

  private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @TempDir
  Path dir;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> description() throws IOException {
    try (InputStream in = AdminOpenApiTest.class.getResourceAsStream("/webroot/admin/openapi.yaml")) {
      assertNotNull(in, "webroot/admin/openapi.yaml is in the jar");
      return new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** "GET /admin/malls/{mall}" for every operation the description names. */
  @SuppressWarnings("unchecked")
  private static Set<String> described(Map<String, Object> openapi) {
    Set<String> operations = new TreeSet<>();
    ((Map<String, Map<String, Object>>) openapi.get("paths")).forEach((path, item) -> item.keySet().stream()
        .filter(VERBS::contains)
        .forEach(verb -> operations.add(verb.toUpperCase(Locale.ROOT) + " " + path)));
    return operations;
  }

  /** The same for every route with methods under /admin (the guard, which has none, is no operation). */
  private static Set<String> mounted(List<Route> routes) {
    Set<String> operations = new TreeSet<>();
    for (Route route : routes) {
      String path = route.getPath();
      if (path == null || !path.startsWith("/admin") || route.methods() == null) {
        continue;
      }
      String openapiPath = path.replaceAll(":([a-zA-Z]+)", "{$1}");
      route.methods().forEach(method -> operations.add(method.name() + " " + openapiPath));
    }
    return operations;
  }

  @Test
  void should_describe_every_mounted_admin_route_and_no_other_when_every_admin_feature_is_on() throws IOException {
    Map<String, Object> openapi = description();
    assertEquals("3.0.3", openapi.get("openapi"));
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      // Subscribers (on Redis) mount the dead-letter routes too.
      RunningGateway gateway = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("g"))
          .set("webhook.stream", "test:webhooks:{openapi-" + System.nanoTime() + "}")
          .set("webhook.subscribers", Map.of("orders", Map.of("url", "http://127.0.0.1:9/hook",
              "events", List.of(), "secret", "CANARY-OPENAPI-SECRET-93", "timeout", "1s"))));
      assertEquals(described(openapi), mounted(gateway.gateway().routes()));

      HttpResponse<Buffer> served = fixture.admin(gateway, HttpMethod.GET, "/admin/openapi.yaml");
      assertEquals(200, served.statusCode());
      assertEquals(described(openapi), described(new Yaml().load(served.bodyAsString())));
      assertEquals(401, result(fixture.client.get(gateway.port(), "127.0.0.1", "/admin/openapi.yaml").send())
          .statusCode(), "the description is behind the admin token, like the API");
    }
  }

  @Test
  void should_open_only_the_page_files_without_the_token_when_admin_is_on() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("p")));
      for (String file : AdminPage.FILES.keySet()) {
        HttpResponse<Buffer> page = fixture.get(gateway, file);
        assertEquals(200, page.statusCode(), file);
        assertEquals(AdminPage.CSP, page.getHeader("Content-Security-Policy"), file);
        assertEquals("DENY", page.getHeader("X-Frame-Options"), file);
        assertEquals("no-cache", page.getHeader("Cache-Control"), file);
        assertEquals("nosniff", page.getHeader("X-Content-Type-Options"), file);
      }
      for (String guarded : List.of("/admin/malls", "/admin/openapi.yaml", "/admin/other.js", "/admin/x/admin.js",
          "/admin/index.htm", "/admin/index.html/x")) {
        assertEquals(401, fixture.get(gateway, guarded).statusCode(), guarded);
      }
      assertEquals(400, fixture.get(gateway, "/admin/../admin/malls").statusCode(), "dot segments never pass");
    }
  }
}
