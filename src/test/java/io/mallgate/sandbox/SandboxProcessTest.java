package io.mallgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.testsupport.GatewayProcess;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sandbox} as a process: it serves the demo mall, and leaves nothing in the temporary directory. */
@Timeout(90)
class SandboxProcessTest {

  @TempDir
  Path dir;

  @Test
  void should_serve_the_demo_mall_and_remove_its_store_folder_when_it_stops() throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    int port = TestConfig.freePort();
    TestConfig config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", dir.resolve("unused"))
        .set("server.port", port);
    try (GatewayProcess gateway = GatewayProcess.startSandbox(config, port, dir, tmp)) {
      String answer = RawHttp.send(port, RawHttp.get("/malls/demo/api/v2/admin/products"), 15_000).text();
      assertEquals(200, RawHttp.status(answer), answer);
      assertEquals(List.of("mallgate-sandbox-"), prefixes(tmp), "the sandbox keeps its store in tmp while it runs");

      gateway.terminate();
      assertEquals(0, gateway.awaitExit(30));
    }
    assertTrue(prefixes(tmp).isEmpty(), "left behind: " + prefixes(tmp));
  }

  private static List<String> prefixes(Path tmp) throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.map(path -> path.getFileName().toString())
          .filter(name -> name.startsWith("mallgate-sandbox-"))
          .map(name -> "mallgate-sandbox-").toList();
    }
  }
}
