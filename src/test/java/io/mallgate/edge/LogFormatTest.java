package io.mallgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.testsupport.GatewayProcess;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' logging ({@code conf/logback.xml}) in a real gateway process: with {@code MALLGATE_LOG_FORMAT=json}
 * every line is one JSON object, whichever writes the access lines, and the access line carries its fields as
 * key-value pairs — the path without its
 * query, where an OAuth {@code code} or {@code state} would be.
 */
@Timeout(90)
@Slow
class LogFormatTest {

  @TempDir
  Path dir;

  /**
   * Both outputs: {@code stdout} (the shipped default: the gateway's batched writer, its format from the same
   * {@code MALLGATE_LOG_FORMAT} through {@code accessLog.format}'s default) and {@code logger} (logback's encoder).
   */
  @ParameterizedTest
  @ValueSource(strings = {"stdout", "logger"})
  void should_write_one_json_object_per_line_with_the_access_fields_when_the_format_is_json(String output) {
    int port = TestConfig.freePort();
    TestConfig config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", dir.resolve("data"))
        .set("server.port", port).set("accessLog.output", output);
    try (GatewayProcess gateway = GatewayProcess.start(config, port, dir, "conf/logback.xml",
        Map.of("MALLGATE_LOG_FORMAT", "json"))) {
      // Connection: close, so the wait ends with the answer; 15 s only for a cold JVM on a loaded machine.
      String answer = RawHttp.send(port, "GET /oauth/callback?code=CODEcanary1&state=STATEcanary1 HTTP/1.1\r\n"
          + "Host: x\r\nConnection: close\r\n\r\n", 15_000).text();
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer + "\n" + gateway.output());
      gateway.terminate();
      assertEquals(0, gateway.awaitExit(30));

      List<String> lines = gateway.output().lines().filter(line -> !line.isBlank()).toList();
      List<JsonObject> entries = lines.stream().map(line -> parse(line, lines)).toList();
      JsonObject access = entries.stream().filter(entry -> "mallgate.access".equals(entry.getString("loggerName")))
          .findFirst().orElseThrow(() -> new AssertionError("no access line in:\n" + String.join("\n", lines)));
      Map<String, Object> fields = keyValues(access.getJsonArray("kvpList"));
      assertEquals("GET", fields.get("method"));
      assertEquals("/oauth/callback", fields.get("path"));
      assertEquals("400", String.valueOf(fields.get("status")));
      assertEquals("invalid_state", fields.get("gateway_code"));
      assertEquals("INFO", access.getString("level"));
      assertTrue(access.getString("formattedMessage").contains("path=/oauth/callback status=400"));
      assertFalse(gateway.output().contains("canary1"), "the query's code and state are in no line");
    }
  }

  private static JsonObject parse(String line, List<String> all) {
    try {
      return new JsonObject(line);
    } catch (io.vertx.core.json.DecodeException e) {
      throw new AssertionError("not a JSON line: " + line + "\nin:\n" + String.join("\n", all), e);
    }
  }

  private static Map<String, Object> keyValues(JsonArray pairs) {
    Map<String, Object> fields = new java.util.HashMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      fields.putAll(pairs.getJsonObject(i).getMap());
    }
    return fields;
  }
}
