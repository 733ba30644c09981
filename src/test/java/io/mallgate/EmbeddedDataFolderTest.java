package io.mallgate;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's folder holds sealed tokens and webhook bodies: nobody but the gateway's user may list it. */
@Timeout(60)
class EmbeddedDataFolderTest {

  @TempDir
  Path dir;

  @Test
  void should_create_the_data_folder_owner_only_when_the_embedded_gateway_starts() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Cafe24Simulator simulator = new Cafe24Simulator(vertx, SimulatorSettings.defaults());
      result(simulator.start(0));
      Path data = dir.resolve("data");
      result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", data).build()));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    } finally {
      result(vertx.close());
    }
  }
}
