package io.mallgate;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's network ends, built from the config: the server's options, the pooled client to Cafe24's API, and
 * the client for Cafe24's OAuth endpoints (and alert sinks). Each choice that is not Vert.x's default says why.
 */
final class Transports {

  private Transports() {
  }

  static HttpServerOptions serverOptions(GatewayConfig.Server server) {
    return new HttpServerOptions()
        .setHost(server.host())
        .setPort(server.port())
        .setIdleTimeout((int) server.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // Netty counts the request line apart from the headers: both get the whole head's budget, so a long Cafe24
        // query string (product_no lists) is bounded by the same key.
        .setMaxInitialLineLength(server.maxHeaderSize())
        .setMaxHeaderSize(server.maxHeaderSize())
        // 100 Continue only once the proxy has checked the request (ProxyHandler), never before.
        .setHandle100ContinueAutomatically(false)
        // HTTP/1.1 only: h2c would let bodies arrive without framing headers and is not needed inside a network.
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false);
  }

  static HttpClientAgent upstreamClient(Vertx vertx, GatewayConfig.Proxy proxy) {
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        // Below common server keep-alive timeouts, so a pooled connection is rarely reused just as it is closed.
        .setKeepAliveTimeout(20)
        .setConnectTimeout((int) proxy.connectTimeout().toMillis())
        .setDecompressionSupported(false)
        .setForceSni(true)
        .setVerifyHost(true);
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(proxy.poolSize())
        .setMaxWaitQueueSize(proxy.poolWaitQueue());
    return vertx.httpClientBuilder().with(options).with(pool).build();
  }

  static WebClient oauthClient(Vertx vertx, GatewayConfig.Proxy proxy) {
    return WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Mallgate")
        .setFollowRedirects(false)
        .setConnectTimeout((int) proxy.connectTimeout().toMillis())
        .setForceSni(true)
        .setVerifyHost(true));
  }
}
