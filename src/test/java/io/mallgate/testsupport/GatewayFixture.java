package io.mallgate.testsupport;

import static io.mallgate.testsupport.Await.result;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.token.TokenResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One Vert.x, one simulated Cafe24 (with the test routes of {@link UpstreamRoutes}), and the gateways a test
 * deploys in front of it — several of them share one Redis to act as a cluster of instances.
 */
public final class GatewayFixture implements AutoCloseable {

  public final Vertx vertx;
  public final Cafe24Simulator simulator;
  public final WebClient client;
  private final List<RunningGateway> gateways = new ArrayList<>();
  private final SimulatorSettings settings;

  private GatewayFixture(SimulatorSettings settings) {
    this.settings = settings;
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx, settings));
    result(simulator.start(0));
    UpstreamRoutes.install(vertx, simulator);
    // Big pool: load tests fire hundreds of requests at once.
    client = WebClient.create(vertx, new WebClientOptions(new HttpClientOptions().setKeepAlive(true)),
        new PoolOptions().setHttp1MaxSize(200).setMaxWaitQueueSize(-1));
  }

  public static GatewayFixture start(SimulatorSettings settings) {
    return new GatewayFixture(settings);
  }

  /**
   * A config for a gateway in front of this fixture's simulator. The gateway shapes calls to Cafe24's rate limit only
   * when the simulator enforces one: a storm at an unlimited simulator tests something else.
   */
  public TestConfig config(String redisUrl, Path dataDir) {
    // Load tests fire hundreds of calls at one mall at once: the per-mall bound is not what they test, and the
    // gateway's rate limit follows the simulator's.
    return TestConfig.forSimulator(simulator.baseUrl(), redisUrl, dataDir)
        .set("proxy.maxConcurrentPerMall", 5000)
        .set("rateLimit.enabled", settings.rateLimitEnabled());
  }

  public RunningGateway deploy(TestConfig config) {
    return deploy(config, settings.clock());
  }

  /** A gateway reading time from {@code clock}; by default it shares the simulator's. */
  public RunningGateway deploy(TestConfig config, java.time.Clock clock) {
    for (int attempt = 1; ; attempt++) {
      try {
        RunningGateway gateway = result(RunningGateway.deploy(vertx, config.build(), clock));
        gateways.add(gateway);
        return gateway;
      } catch (IllegalStateException failed) {
        // freePort() closes its probe before the gateway binds: another test JVM, or an outgoing connection's
        // ephemeral port, can take it in between (seen once in CI: BindException in FanoutTest). Another port.
        if (attempt == 3 || !(failed.getCause() instanceof java.net.BindException)) {
          throw failed;
        }
        config.movePort(TestConfig.freePort());
      }
    }
  }

  /** Imports fresh simulator tokens for a mall through {@code gateway}; returns Cafe24's token response. */
  public JsonObject install(RunningGateway gateway, String mall) {
    return install(gateway, mall, simulator.issueTokens(mall));
  }

  public JsonObject install(RunningGateway gateway, String mall, JsonObject tokens) {
    result(gateway.gateway().tokens().install(mall, TokenResponse.fromJson(tokens)));
    return tokens;
  }

  /** A copy of a token response whose access token expires at {@code at} as far as the gateway knows. */
  public static JsonObject expiringAt(JsonObject tokens, Instant at) {
    return tokens.copy().put("expires_at", Cafe24Time.format(at));
  }

  public HttpResponse<Buffer> get(RunningGateway gateway, String uri) {
    return result(client.get(gateway.port(), "127.0.0.1", uri).send());
  }

  public HttpResponse<Buffer> admin(RunningGateway gateway, io.vertx.core.http.HttpMethod method, String uri) {
    return result(client.request(method, gateway.port(), "127.0.0.1", uri)
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send());
  }

  @Override
  public void close() {
    result(vertx.close());
  }
}
