package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.ConcurrencyLimits;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chain the proxy's steps run in, on a real server: steps run in order, a step that answers ends the call there
 * (no later step runs), a step may run the rest again, and a step that throws fails the call. And the admit step's
 * contract, which the order rests on: whatever it refuses never reaches the token step.
 */
@Timeout(30)
class ProxyChainTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static WebClient client;
  static GatewayConfig config;
  private final List<String> reached = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    config = TestConfig.forSimulator("http://127.0.0.1:1/{mall}", "", dir)
        .set("proxy.maxBodySize", "1KiB")
        .set("malls.allow", List.of("demo"))
        .build();
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  @AfterEach
  void closeServer() {
    if (server != null) {
      result(server.close());
    }
  }

  @ParameterizedTest
  @CsvSource({
      "TRACE, /malls/demo/api/v2/admin/products, 0, method_not_allowed",
      "GET, /malls/Demo/api/v2/admin/products, 0, invalid_mall_id",
      "GET, /malls/demo/api/v2/oauth/token, 0, invalid_path",
      "GET, /malls/demo/api/v2/Admin/products, 0, invalid_path",
      "GET, /malls/elsewhere/api/v2/admin/products, 0, mall_not_allowed",
      "POST, /malls/demo/api/v2/admin/products, 2048, body_too_large"})
  void should_never_reach_the_token_step_when_admission_refuses(String method, String path, int length, String code) {
    Admission admission = new Admission(config::malls, config.proxy(), new ConcurrencyLimits(8, 8));
    int port = serve(admission::admit, record("token"), answer());

    HttpResponse<Buffer> response = result(client.request(HttpMethod.valueOf(method), port, "127.0.0.1", path)
        .putHeader("Content-Length", String.valueOf(length)).send());

    assertEquals(code, response.bodyAsString());
    assertEquals(List.of(), reached, "no step after admit ran");
  }

  @Test
  void should_run_every_step_in_order_when_each_hands_on() {
    Admission admission = new Admission(config::malls, config.proxy(), new ConcurrencyLimits(8, 8));
    int port = serve(admission::admit, record("token"), record("pace"), answer());

    assertEquals("answered", get(port).bodyAsString());
    assertEquals(List.of("token", "pace", "send"), reached);
  }

  @Test
  void should_run_the_rest_again_when_a_step_asks_for_another_try() {
    ProxyStep twice = (call, next) -> next.proceed(call).compose(first -> next.proceed(call));
    int port = serve(twice, record("breaker"), answer());

    assertEquals("answered", get(port).bodyAsString());
    assertEquals(List.of("breaker", "send", "breaker", "send"), reached);
  }

  @Test
  void should_fail_the_call_and_skip_the_rest_when_a_step_throws() {
    ProxyStep refuses = (call, next) -> {
      throw new GatewayFailure(ErrorCode.OVERLOADED, "full");
    };
    int port = serve(record("token"), refuses, record("pace"), answer());

    assertEquals("overloaded", get(port).bodyAsString());
    assertEquals(List.of("token"), reached);
  }

  @Test
  void should_fail_the_call_when_the_last_step_hands_on() {
    int port = serve(record("token"));

    assertEquals("IllegalStateException", get(port).bodyAsString());
    assertEquals(List.of("token"), reached);
  }

  /** A step that notes it ran and hands on. */
  private ProxyStep record(String name) {
    return (call, next) -> {
      reached.add(name);
      return next.proceed(call);
    };
  }

  /** The last step: notes it ran, and answers with no response head (the route below needs none). */
  private ProxyStep answer() {
    return (call, next) -> {
      reached.add("send");
      return Future.succeededFuture();
    };
  }

  /** Serves {@code steps} as the proxy route would; the body names the outcome: "answered", or the failure's code. */
  private int serve(ProxyStep... steps) {
    ProxyChain chain = ProxyChain.of(List.of(steps));
    Router router = Router.router(vertx);
    router.route("/malls/*").handler(ctx -> chain.proceed(new ProxyCall(ctx, System.nanoTime() + 10_000_000_000L))
        .onComplete(outcome -> ctx.response().end(outcome.succeeded() ? "answered"
            : outcome.cause() instanceof GatewayFailure failure ? failure.code().code()
            : outcome.cause().getClass().getSimpleName())));
    server = result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  private static HttpResponse<Buffer> get(int port) {
    return result(client.get(port, "127.0.0.1", "/malls/demo/api/v2/admin/products").send());
  }
}
