package io.mallgate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mallgate.sandbox.SimulatorSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's deploy survives a free port taken before the gateway binds it (a race across test JVMs). */
class GatewayFixtureTest {

  @TempDir
  Path dir;

  @Test
  void should_deploy_on_another_port_when_the_free_port_was_taken_before_the_bind() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      TestConfig config = fixture.config("", dir).movePort(taken.getLocalPort());
      RunningGateway gateway = fixture.deploy(config);
      int port = gateway.port();
      assertNotEquals(taken.getLocalPort(), port, "not the taken port");
      assertEquals(200, fixture.client.get(port, "127.0.0.1", "/health/live").send().await().statusCode());
    }
  }
}
