package io.mallgate.webhook;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
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
 */
public final class WebhookRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

  private final Vertx vertx;
  private final GatewayConfig.Webhook config;
  private final Map<String, WebhookVerifier> verifiers = new HashMap<>();
  private final WebhookLog log;
  private final AppLifecycle lifecycle;
  private final WebhookCounters counters;
  private final Clock clock;

  public WebhookRoutes(Vertx vertx, GatewayConfig.Webhook config, WebhookLog log, AppLifecycle lifecycle,
      WebhookCounters counters, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.log = log;
    this.lifecycle = lifecycle;
    this.counters = counters;
    this.clock = clock;
    verifiers.put(WebhookEvent.DEFAULT_ROUTE, new WebhookVerifier(config.route()));
    config.routes().forEach((name, route) -> verifiers.put(name, new WebhookVerifier(route)));
  }

  public void mount(Router router) {
    router.post("/webhook").handler(ctx -> handle(ctx, WebhookEvent.DEFAULT_ROUTE));
    router.post("/webhook/:name").handler(ctx -> handle(ctx, ctx.pathParam("name")));
  }

  private void handle(RoutingContext ctx, String route) {
    WebhookVerifier verifier = WebhookEvent.DEFAULT_ROUTE.equals(route) && ctx.pathParam("name") != null
        ? null : verifiers.get(route);
    if (verifier == null) {
      ctx.fail(new GatewayFailure(ErrorCode.NOT_FOUND, "no such webhook route"));
      return;
    }
    HttpServerRequest request = ctx.request();
    if (WebhookBody.declaredTooLarge(request, config.maxBodySize())) {
      counters.tooLarge();
      ctx.fail(WebhookBody.tooLarge(config.maxBodySize()));
      return;
    }
    WebhookBody.read(vertx, request, config.maxBodySize(), config.bodyTimeout().toMillis())
        .compose(body -> verified(request, route, verifier, body))
        .compose(event -> log.append(event).compose(accepted -> lifecycle.apply(event, accepted.acceptedAt())
            .recover(failure -> Future.failedFuture(RedisWebhookLog.unavailable(failure)))
            .map(marked -> {
              if (marked) {
                counters.appRemoved();
              }
              return accepted;
            })))
        .onSuccess(accepted -> respond(ctx, accepted))
        .onFailure(failure -> {
          count(failure);
          ctx.fail(failure);
        });
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
