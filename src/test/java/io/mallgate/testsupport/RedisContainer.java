package io.mallgate.testsupport;

import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code redis:7-alpine} container. Its host port is fixed when the container is created, so that a stop and start
 * (which Docker does in place, keeping the container) brings the server back on the same port, as the API promises.
 */
final class RedisContainer implements RedisServer.Backend {

  private static final int REDIS_PORT = 6379;
  private final int hostPort = RedisProcess.freePort();
  private final GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
      .withCommand("redis-server", "--save", "", "--appendonly", "no")
      .withExposedPorts(REDIS_PORT)
      .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
          new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(REDIS_PORT))));

  @Override
  public String url() {
    return "redis://" + container.getHost() + ":" + hostPort;
  }

  @Override
  public int port() {
    return hostPort;
  }

  @Override
  public void start() {
    if (container.getContainerId() == null) {
      container.start();
    } else {
      try {
        DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
      } catch (NotModifiedException alreadyRunning) {
        // start() on a running server is a no-op, as for the process backend
      }
    }
    RedisProcess.awaitPong(container.getHost(), hostPort, Duration.ofSeconds(30), () -> true, "docker logs");
  }

  @Override
  public void stop() {
    if (container.getContainerId() != null) {
      try {
        DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).exec();
      } catch (NotModifiedException alreadyStopped) {
        // stop() on a stopped server is a no-op
      }
    }
  }

  @Override
  public void close() {
    container.stop();
  }
}
