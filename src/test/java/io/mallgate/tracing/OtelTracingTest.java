package io.mallgate.tracing;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.testsupport.Canaries;
import io.mallgate.tracing.OtlpReceiver.Exported;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK-backed tracing on its own, against a real OTLP receiver on loopback. */
class OtelTracingTest {

  private static final String CANARY = "message-canary-8c2f41";

  private Vertx vertx;
  private OtlpReceiver receiver;

  @BeforeEach
  void start() {
    Canaries.add(CANARY); // the log is searched for it too
    vertx = Vertx.vertx();
    receiver = new OtlpReceiver(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private OtelTracing tracing(double ratio) {
    return OtelTracing.create(vertx, new GatewayConfig.Tracing(Secret.of(receiver.url()), ratio, "mallgate-test"),
        Duration.ofMillis(50));
  }

  @Test
  void should_record_the_failures_code_or_class_but_never_its_message_when_a_span_fails() {
    OtelTracing tracing = tracing(1.0);
    Span root = tracing.root("work", Span.Kind.INTERNAL);
    root.child("refused").failed(new GatewayFailure(ErrorCode.MALL_NOT_AUTHORIZED, "no token for " + CANARY)).end();
    root.child("broken", Span.Kind.CLIENT).failed(new IllegalStateException(CANARY)).end();
    root.end();

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans().size() == 3);
    result(tracing.close());

    Exported refused = receiver.find(span -> span.name().equals("refused")).orElseThrow();
    assertTrue(refused.error());
    assertEquals("mall_not_authorized", refused.attribute(Span.ERROR_TYPE));
    Exported broken = receiver.find(span -> span.name().equals("broken")).orElseThrow();
    assertEquals("IllegalStateException", broken.attribute(Span.ERROR_TYPE));
    assertEquals("CLIENT", broken.kind());
    assertTrue(broken.childOf(receiver.find(span -> span.name().equals("work")).orElseThrow()));
    assertEquals(List.of(), receiver.containing(List.of(CANARY)));
    assertEquals("mallgate-test", broken.resource().get("service.name"));
  }

  @Test
  void should_make_no_span_below_a_root_the_ratio_did_not_sample() {
    OtelTracing tracing = tracing(0.0);
    Span root = tracing.root("dropped", Span.Kind.INTERNAL);

    assertSame(Span.NONE, root);
    assertSame(Span.NONE, root.child("below").child("further", Span.Kind.CLIENT));
    result(tracing.close());
    assertEquals(0, receiver.payloadCount());
  }

  @Test
  void should_cost_nothing_but_a_call_when_tracing_is_off() {
    assertSame(Span.NONE, Tracing.OFF.root("work", Span.Kind.CLIENT));
    assertSame(Span.NONE, Tracing.OFF.serverSpan(null), "the request's context is not even looked at");
    assertSame(Span.NONE, Span.NONE.child("a").set("k", "v").set("n", 1L).set("b", true).event("e")
        .failed(new IllegalStateException()).failed("x"));
    assertSame(Tracing.OFF, Tracing.create(vertx, new GatewayConfig.Tracing(Secret.empty(), 1.0, "mallgate")));
  }

  @Test
  void should_log_the_endpoint_without_its_query() {
    assertEquals("https://collector.internal:4318/v1/traces",
        OtelTracing.printable("https://collector.internal:4318/v1/traces?api_key=" + CANARY));
  }
}
