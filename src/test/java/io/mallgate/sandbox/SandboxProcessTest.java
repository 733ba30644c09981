package io.mallgate.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.testsupport.GatewayProcess;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sandbox} as a process: it serves the demo mall, fires sample webhooks at itself with its own key, prints a
 * link that signs its admin page in with a token of its own, and leaves nothing in the temporary directory.
 */
@Timeout(90)
@Slow
class SandboxProcessTest {

  @TempDir
  Path dir;

  @Test
  void should_serve_the_demo_mall_and_remove_its_store_folder_when_it_stops() throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    int port = TestConfig.freePort();
    TestConfig config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", dir.resolve("unused"))
        .set("server.port", port)
        // The built-in default: the key is the one the sandbox makes for itself.
        .set("webhook.apiKeys", List.of("${CAFE24_WEBHOOK_API_KEY:-}"));
    try (GatewayProcess gateway = GatewayProcess.startSandbox(config, port, dir, tmp)) {
      String answer = RawHttp.send(port, RawHttp.get("/malls/demo/api/v2/admin/products"), 15_000).text();
      assertEquals(200, RawHttp.status(answer), answer);
      assertEquals(List.of("mallgate-sandbox-"), prefixes(tmp), "the sandbox keeps its store in tmp while it runs");
      assertSampleWebhooksReachTheGateway(port);

      gateway.terminate();
      assertEquals(0, gateway.awaitExit(30));
    }
    assertTrue(prefixes(tmp).isEmpty(), "left behind: " + prefixes(tmp));
  }

  @Test
  void should_print_an_admin_page_link_whose_token_opens_the_admin_api_when_no_admin_token_is_set()
      throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    int port = TestConfig.freePort();
    TestConfig config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", dir.resolve("unused"))
        .set("server.port", port)
        // The shipped file's reading: the sandbox sets MALLGATE_ADMIN_TOKEN when it is not set.
        .set("admin.token", "${MALLGATE_ADMIN_TOKEN:-}");
    try (GatewayProcess gateway = GatewayProcess.startSandbox(config, port, dir, tmp)) {
      Pattern link = Pattern.compile("(?m)^Admin page: http://localhost:" + port + "/admin/#token=([A-Za-z0-9_-]{32,})$");
      await("the admin page line").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> link.matcher(gateway.output()).find());
      Matcher printed = link.matcher(gateway.output());
      assertTrue(printed.find());
      String token = printed.group(1);

      String malls = RawHttp.send(port, "GET /admin/malls HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + token + "\r\nConnection: close\r\n\r\n", 15_000).text();
      assertEquals(200, RawHttp.status(malls), malls);
      assertTrue(malls.contains("\"demo\""), malls);
      String refused = RawHttp.send(port, "GET /admin/malls HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + TestConfig.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n", 15_000).text();
      assertEquals(401, RawHttp.status(refused), "the token is the sandbox's own, not a fixed one");
      // Printed once for the operator; no log line carries it.
      assertEquals(1, gateway.output().split(Pattern.quote(token), -1).length - 1, gateway.output());
    }
  }

  /** 90078 stops the demo mall, 90079 brings it back; an unknown event or a bad mall id is a 400 saying why. */
  private static void assertSampleWebhooksReachTheGateway(int port) {
    String expired = sample(port, "/sandbox/webhooks/90078?mall_id=demo");
    assertEquals(200, RawHttp.status(expired), expired);
    assertTrue(expired.contains("\"status\":\"accepted\""), expired);
    String stopped = RawHttp.send(port, RawHttp.get("/malls/demo/api/v2/admin/products"), 15_000).text();
    assertEquals(401, RawHttp.status(stopped), stopped);
    assertTrue(stopped.contains("app_expired"), stopped);
    assertEquals(200, RawHttp.status(sample(port, "/sandbox/webhooks/90079")), "mall_id defaults to demo");
    String served = RawHttp.send(port, RawHttp.get("/malls/demo/api/v2/admin/products"), 15_000).text();
    assertEquals(200, RawHttp.status(served), served);

    String unknown = sample(port, "/sandbox/webhooks/12345?mall_id=demo");
    assertEquals(400, RawHttp.status(unknown), unknown);
    assertTrue(unknown.contains("invalid_request") && unknown.contains("90079 (app expiry extended)"), unknown);
    String badMall = sample(port, "/sandbox/webhooks/90023?mall_id=Demo.shop");
    assertEquals(400, RawHttp.status(badMall), badMall);
    assertTrue(badMall.contains("invalid_mall_id"), badMall);
  }

  private static String sample(int port, String path) {
    return RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n", 15_000).text();
  }

  private static List<String> prefixes(Path tmp) throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.map(path -> path.getFileName().toString())
          .filter(name -> name.startsWith("mallgate-sandbox-"))
          .map(name -> "mallgate-sandbox-").toList();
    }
  }
}
