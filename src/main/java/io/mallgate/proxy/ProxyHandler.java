package io.mallgate.proxy;

import io.mallgate.config.BaseUrl;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AccessLog;
import io.mallgate.edge.RequestIds;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code ANY /malls/{mall}/api/**}: forwards the request to the mall's Cafe24 API with the mall's bearer token and
 * streams the answer back.
 *
 * <p>Why a lean proxy on Vert.x's {@link HttpClient} instead of vertx-http-proxy: that library forwards the caller's
 * {@code Authorization} and {@code Cookie}, keeps headers named in {@code Connection}, and cannot replay a body after
 * a 401, which the refresh protocol needs. What we need of it — a pooled client and a back-pressured pipe each way —
 * is a few lines of core API, and every header decision stays in one place ({@link HeaderPolicy}).
 *
 * <p>The way through: parse and check the target (no I/O), pause the body, get the token, open the upstream request,
 * pipe the body (bounded by {@code proxy.maxBodySize}), pipe the response back. Redirects are never followed. Any
 * failure is a {@link GatewayFailure} handed to the router's failure handler. Runs on the request's event loop.
 */
public final class ProxyHandler implements Handler<RoutingContext> {

  private final HttpClient upstream;
  private final TokenService tokens;
  private final HeaderPolicy headers;
  private final BaseUrl baseUrl;
  private final GatewayConfig.Malls malls;
  private final GatewayConfig.Proxy limits;
  private final Function<String, String> installUrl;

  /**
   * @param installUrl gives the install URL for a mall, shown to callers of a mall without a token
   */
  public ProxyHandler(HttpClient upstream, TokenService tokens, GatewayConfig config,
      Function<String, String> installUrl) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.headers = new HeaderPolicy(config.cafe24().apiVersion());
    this.baseUrl = config.cafe24().baseUrl();
    this.malls = config.malls();
    this.limits = config.proxy();
    this.installUrl = installUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ProxyTarget target;
    try {
      target = ProxyTarget.parse(request.path());
      admit(target.mall(), request);
    } catch (GatewayFailure failure) {
      ctx.fail(failure);
      return;
    }
    AccessLog.mall(ctx, target.mall());
    // Synchronously, before any async step: an unpaused request with no handler would drop body bytes.
    LimitedBody body = new LimitedBody(request, limits.maxBodySize());
    Pipe<io.vertx.core.buffer.Buffer> pipe = body.pipe();
    pipe.endOnFailure(false);
    tokens.current(target.mall())
        .compose(record -> record != null ? Future.succeededFuture(record) : Future.failedFuture(notAuthorized(target.mall())))
        .compose(record -> forward(ctx, target, record, body, pipe))
        .onFailure(failure -> {
          pipe.close();
          ctx.fail(failure);
        });
  }

  private void admit(String mall, HttpServerRequest request) {
    if (!malls.admits(mall)) {
      throw new GatewayFailure(ErrorCode.MALL_NOT_ALLOWED, "mall is not in this gateway's allow-list");
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > limits.maxBodySize()) {
      throw tooLarge();
    }
  }

  private Future<Void> forward(RoutingContext ctx, ProxyTarget target, TokenRecord record, LimitedBody body,
      Pipe<io.vertx.core.buffer.Buffer> pipe) {
    HttpServerRequest request = ctx.request();
    String query = request.query();
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(baseUrl.host(target.mall()))
        .setPort(baseUrl.port())
        .setSsl(baseUrl.ssl())
        .setURI(baseUrl.pathPrefix(target.mall()) + target.apiPath() + (query == null ? "" : "?" + query))
        .setFollowRedirects(false)
        .setConnectTimeout(limits.connectTimeout().toMillis())
        .setIdleTimeout(limits.idleTimeout().toMillis())
        .setHeaders(headers.upstreamRequest(request.headers(), record.tokens().accessToken(), RequestIds.of(ctx)));
    AccessLog.upstreamStarted(ctx);
    return upstream.request(options)
        .recover(failure -> Future.failedFuture(UpstreamFailures.toGatewayFailure(failure)))
        .compose(upstreamRequest -> exchange(ctx, upstreamRequest, body, pipe));
  }

  private Future<Void> exchange(RoutingContext ctx, HttpClientRequest upstreamRequest, LimitedBody body,
      Pipe<io.vertx.core.buffer.Buffer> pipe) {
    HttpServerResponse response = ctx.response();
    // A caller that goes away mid-exchange must not leave the upstream request hanging.
    response.closeHandler(closed -> upstreamRequest.reset());
    if (hasBody(ctx.request())) {
      if (ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
        upstreamRequest.setChunked(true);
      }
      pipe.to(upstreamRequest).onFailure(failure -> upstreamRequest.reset(0, failure));
    } else {
      pipe.close();
      upstreamRequest.end();
    }
    return upstreamRequest.response()
        .timeout(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(failure -> {
          upstreamRequest.reset();
          return Future.failedFuture(body.exceeded() ? tooLarge() : UpstreamFailures.toGatewayFailure(failure));
        })
        .compose(upstreamResponse -> relay(ctx, upstreamResponse));
  }

  private Future<Void> relay(RoutingContext ctx, HttpClientResponse upstreamResponse) {
    AccessLog.upstreamAnswered(ctx);
    HttpServerResponse response = ctx.response();
    response.setStatusCode(upstreamResponse.statusCode());
    headers.copyDownstream(upstreamResponse.headers(), response.headers());
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(ctx, upstreamResponse)) {
      response.setChunked(true);
    }
    // The response head is about to go out: from here a failure can only cut the connection (see FailureRenderer).
    return upstreamResponse.pipeTo(response);
  }

  private static boolean hasBody(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null && !"0".equals(request.getHeader(HttpHeaders.CONTENT_LENGTH)));
  }

  private static boolean mayHaveBody(RoutingContext ctx, HttpClientResponse upstreamResponse) {
    int status = upstreamResponse.statusCode();
    return ctx.request().method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }

  private GatewayFailure notAuthorized(String mall) {
    return new GatewayFailure(ErrorCode.MALL_NOT_AUTHORIZED,
        "no token stored for this mall: install the app at " + installUrl.apply(mall));
  }

  private GatewayFailure tooLarge() {
    return new GatewayFailure(ErrorCode.BODY_TOO_LARGE,
        "request body is larger than proxy.maxBodySize (" + limits.maxBodySize() + " bytes)");
  }
}
