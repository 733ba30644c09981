package io.mallgate.proxy;

import io.mallgate.cafe24.MallId;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AppNames;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.ConcurrencyLimits;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Who gets in, in two steps: {@link #admit} first of all, with no I/O (the method, the path, the app, the mall, the
 * declared length), and {@link #place} later, once the body is in: a concurrency place, given back when the exchange
 * ends.
 */
final class Admission {

  /** Looked up on every call: a name whose hash is computed once. */
  private static final CharSequence APP_HEADER = HttpHeaders.createOptimized(AppNames.HEADER);

  /** Read per request: a reload may change the allow-list. */
  private final Supplier<GatewayConfig.Malls> malls;
  private final GatewayConfig.Proxy limits;
  private final ConcurrencyLimits concurrency;
  /** The {@code Allow} header of a 405: {@code proxy.methods}, in a stable order. */
  private final String allow;

  Admission(Supplier<GatewayConfig.Malls> malls, GatewayConfig.Proxy limits, ConcurrencyLimits concurrency) {
    this.malls = malls;
    this.limits = limits;
    this.concurrency = concurrency;
    this.allow = String.join(", ", new TreeSet<>(limits.methods()));
  }

  /**
   * The step before any other, and before any I/O: a method we never forward (TRACE would echo the mall's token),
   * an invalid path, an invalid {@code X-Mallgate-App} (or none, with {@code proxy.requireApp}), a mall outside the
   * allow-list or a declared body over {@code proxy.maxBodySize} is refused here, so it reads no token and takes no
   * body. Sets the call's target, and its mall and app for the access line, the metrics and the apps' usage.
   */
  Future<HttpClientResponse> admit(ProxyCall call, ProxyChain next) {
    HttpServerRequest request = call.request();
    allowMethod(request);
    ProxyTarget target = ProxyTarget.parse(request.path());
    // On the access line (and the metrics) from here on, so a later refusal still says which app it refused.
    call.facts().app(app(request.headers()));
    if (!malls.get().admits(target.mall())) {
      throw new GatewayFailure(ErrorCode.MALL_NOT_ALLOWED, "mall is not in this gateway's allow-list");
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > limits.maxBodySize()) {
      throw RequestBody.tooLarge(limits.maxBodySize());
    }
    call.target(target);
    call.facts().mall(target.mall());
    return next.proceed(call);
  }

  /**
   * The caller's name from {@code X-Mallgate-App}, checked by the mall-id rule before anything records it (the name
   * goes into log lines, label values and Redis fields): {@code -} without the header, unless
   * {@code proxy.requireApp}. The refusals never echo the value.
   */
  private String app(MultiMap headers) {
    String app = headers.get(APP_HEADER);
    if (app == null) {
      if (limits.requireApp()) {
        throw new GatewayFailure(ErrorCode.APP_REQUIRED,
            "this gateway needs X-Mallgate-App: <your app's name> on every call (proxy.requireApp)");
      }
      return AppNames.NONE;
    }
    if (!MallId.isValid(app) || AppNames.OTHER.equals(app) || headers.getAll(APP_HEADER).size() > 1) {
      throw new GatewayFailure(ErrorCode.INVALID_APP, "X-Mallgate-App must be one name of 1-63 lowercase letters, "
          + "digits or hyphens, not starting or ending with a hyphen, and not 'other'");
    }
    return app;
  }

  /**
   * A concurrency place for the call, given back when the exchange ends; refused ({@code overloaded}) when the mall
   * or the gateway is full. Taken after the body (or its replayable head) is in: a sender that trickles holds none.
   */
  Future<HttpClientResponse> place(ProxyCall call, ProxyChain next) {
    String mall = call.mall();
    concurrency.enter(mall);
    call.ctx().addEndHandler(ended -> concurrency.exit(mall));
    return next.proceed(call);
  }

  private void allowMethod(HttpServerRequest request) {
    if (!limits.methods().contains(request.method().name())) {
      throw new GatewayFailure(ErrorCode.METHOD_NOT_ALLOWED,
          request.method().name() + " is not forwarded to Cafe24 (proxy.methods)", Map.of("Allow", allow));
    }
  }
}
