package io.mallgate.webhook;

import io.mallgate.config.ConfigWarnings;
import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.tracing.Span;
import io.mallgate.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook} and {@code POST /webhook/{name}}: a bounded body, then verification on its raw bytes, then
 * the durable, de-duplicated record, then the app lifecycle, and only then 200 ({@code {"status":"accepted"}} or
 * {@code "duplicate"}, with the stream entry's id). Verification failures are 403 {@code webhook_unverified} (what
 * Cafe24 asks for) with a WARN line naming the route and the reason only; a record that could not be written is 503
 * {@code webhook_store_unavailable}, so Cafe24 resends.
 *
 * <p>{@code POST /webhook} without a key to check against (no {@code webhook.apiKeys}) answers 503
 * {@code webhook_not_configured} at once, before reading the body: a 403 would tell Cafe24 and the operator that the
 * deliveries were forged, when the gateway simply cannot tell. Cafe24 resends them, so once the key is set nothing is
 * lost. The constructor logs one WARN line saying how to set it.
 *
 * <p>Traces: the request's server span gets the route template, the route's name, the event's number and mall, the
 * outcome and the recorded event's id (the same id as on each of its fan-out deliveries); a child span
 * {@code webhook.record} covers the durable record and the app lifecycle. Never a header, a key or the body.
 *
 * <p>Build one per gateway and mount it on every event loop's router: it is immutable and thread-safe.
 */
public final class WebhookRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

  private final Vertx vertx;
  private final GatewayConfig.Webhook config;
  /** The verifier of {@code POST /webhook}, or {@code null} when it has no key to verify with. */
  private final WebhookVerifier main;
  private final Map<String, WebhookVerifier> named;
  private final WebhookLog log;
  private final AppLifecycle lifecycle;
  private final WebhookCounters counters;
  private final Clock clock;
  private final Tracing tracing;

  public WebhookRoutes(Vertx vertx, GatewayConfig.Webhook config, WebhookLog log, AppLifecycle lifecycle,
      WebhookCounters counters, Clock clock) {
    this(vertx, config, log, lifecycle, counters, clock, Tracing.OFF);
  }

  /** @param tracing where the request's server span is found */
  public WebhookRoutes(Vertx vertx, GatewayConfig.Webhook config, WebhookLog log, AppLifecycle lifecycle,
      WebhookCounters counters, Clock clock, Tracing tracing) {
    this.vertx = vertx;
    this.config = config;
    this.log = log;
    this.lifecycle = lifecycle;
    this.counters = counters;
    this.clock = clock;
    this.tracing = tracing;
    this.main = config.route().verifiable() ? new WebhookVerifier(config.route()) : null;
    Map<String, WebhookVerifier> verifiers = new HashMap<>();
    config.routes().forEach((name, route) -> verifiers.put(name, new WebhookVerifier(route)));
    this.named = Map.copyOf(verifiers);
    if (main == null) {
      LOG.warn(ConfigWarnings.webhookWarning(config.route()));
    }
  }

  public void mount(Router router) {
    router.post("/webhook").handler(ctx -> {
      tracing.serverSpan(ctx).set(Span.HTTP_ROUTE, "/webhook").set(Span.WEBHOOK_ROUTE, WebhookEvent.DEFAULT_ROUTE);
      if (main == null) {
        // Before the body is read: nothing of a delivery we cannot verify is read or kept.
        counters.notConfigured();
        ctx.fail(new GatewayFailure(ErrorCode.WEBHOOK_NOT_CONFIGURED,
            "webhooks are not configured on this gateway (no webhook API key); deliver again later"));
      } else {
        handle(ctx, WebhookEvent.DEFAULT_ROUTE, main);
      }
    });
    router.post("/webhook/:name").handler(ctx -> {
      // "default" is never a named route (the binder refuses it): /webhook/default is 404, not /webhook.
      WebhookVerifier verifier = named.get(ctx.pathParam("name"));
      // The name only when it is a configured route's: an unknown one is whatever a caller typed.
      tracing.serverSpan(ctx).set(Span.HTTP_ROUTE, "/webhook/{name}")
          .set(Span.WEBHOOK_ROUTE, verifier == null ? null : ctx.pathParam("name"));
      if (verifier == null) {
        ctx.fail(new GatewayFailure(ErrorCode.NOT_FOUND, "no such webhook route"));
      } else {
        handle(ctx, ctx.pathParam("name"), verifier);
      }
    });
  }

  private void handle(RoutingContext ctx, String route, WebhookVerifier verifier) {
    HttpServerRequest request = ctx.request();
    if (WebhookBody.declaredTooLarge(request, config.maxBodySize())) {
      counters.tooLarge();
      ctx.fail(WebhookBody.tooLarge(config.maxBodySize()));
      return;
    }
    Span span = tracing.serverSpan(ctx);
    WebhookBody.read(vertx, request, config.maxBodySize(), config.bodyTimeout().toMillis())
        .compose(body -> verified(request, route, verifier, body))
        .compose(event -> record(event, span))
        .onSuccess(accepted -> {
          span.set(Span.WEBHOOK_OUTCOME, accepted.duplicate() ? "duplicate" : "accepted")
              .set(Span.WEBHOOK_ID, accepted.id());
          respond(ctx, accepted);
        })
        .onFailure(failure -> {
          count(failure);
          ctx.fail(failure);
        });
  }

  /** The durable record, then the app lifecycle: the span {@code webhook.record}. */
  private Future<WebhookLog.Acceptance> record(WebhookEvent event, Span span) {
    span.set(Span.WEBHOOK_EVENT_NO, event.eventNo()).set(Span.MALL, event.mall().isEmpty() ? null : event.mall());
    Span recording = span.child("webhook.record");
    Future<WebhookLog.Acceptance> recorded = log.append(event)
        .compose(accepted -> lifecycle.apply(event, accepted.acceptedAt())
            .recover(failure -> Future.failedFuture(RedisWebhookLog.unavailable(failure)))
            .map(change -> {
              if (change == AppLifecycle.Change.MARKED) {
                counters.appRemoved();
              } else if (change == AppLifecycle.Change.CLEARED) {
                counters.appRestored();
              }
              return accepted;
            }));
    return recording.recording() ? recorded.andThen(recording::end) : recorded;
  }

  private Future<WebhookEvent> verified(HttpServerRequest request, String route, WebhookVerifier verifier,
      Buffer body) {
    WebhookVerifier.Verdict verdict = verifier.verify(request.getHeader(verifier.signatureHeader()),
        request.getHeader(WebhookVerifier.API_KEY_HEADER), body.getBytes());
    if (verdict != WebhookVerifier.Verdict.VERIFIED) {
      LOG.warn("webhook refused on route {} from {}: {}", route, request.remoteAddress(), verdict.description());
      return Future.failedFuture(new GatewayFailure(ErrorCode.WEBHOOK_UNVERIFIED,
          "webhook not verified: " + verdict.description()));
    }
    return Future.succeededFuture(WebhookEvent.of(route, body, clock.instant()));
  }

  private void respond(RoutingContext ctx, WebhookLog.Acceptance accepted) {
    if (accepted.duplicate()) {
      counters.duplicate();
    } else {
      counters.accepted();
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(new JsonObject().put("status", accepted.duplicate() ? "duplicate" : "accepted")
            .put("id", accepted.id()).toBuffer());
  }

  private void count(Throwable failure) {
    ErrorCode code = failure instanceof GatewayFailure gateway ? gateway.code() : null;
    if (code == ErrorCode.WEBHOOK_UNVERIFIED) {
      counters.unverified();
    } else if (code == ErrorCode.BODY_TOO_LARGE) {
      counters.tooLarge();
    } else if (code == ErrorCode.BODY_TIMEOUT) {
      counters.timedOut();
    } else if (code == ErrorCode.WEBHOOK_STORE_UNAVAILABLE) {
      counters.storeFailed();
    }
  }
}
