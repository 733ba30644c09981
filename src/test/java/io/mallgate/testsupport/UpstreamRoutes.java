package io.mallgate.testsupport;

import io.mallgate.sandbox.Cafe24Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Extra authenticated endpoints on the simulator, for proxy tests: {@code /echo*} describes the request it got
 * (method, raw URI, headers, body length and SHA-256, hashed while streaming), {@code /download?size=N} streams N
 * deterministic bytes with back-pressure ({@code &cutAt=M}: resets the connection after M of them, a Cafe24 that dies
 * mid-answer), {@code /slow} answers after 5 s (or {@code ?ms=}), {@code /redirect}
 * answers 302, {@code /always401} answers Cafe24's 401 whatever the token, {@code /other401} a 401 that does not name
 * the token ({@link #OTHER_401}), {@code /big401?size=N} a chunked 401 of N pattern bytes, {@code /cookie} sets
 * Cafe24-like cookies.
 */
public final class UpstreamRoutes {

  /** The body of {@code /other401}: a 401 that does not name the access token. */
  public static final String OTHER_401 =
      "{\"error\":{\"code\":401,\"message\":\"[client_id] is a required parameter.\",\"more_info\":{}}}";

  private UpstreamRoutes() {
  }

  public static void install(Vertx vertx, Cafe24Simulator simulator) {
    simulator.adminRoute("/echo*").handler(UpstreamRoutes::echo);
    simulator.adminRoute("/download").handler(UpstreamRoutes::download);
    simulator.adminRoute("/slow").handler(ctx -> {
      String millis = ctx.request().getParam("ms");
      vertx.setTimer(millis == null ? 5_000 : Long.parseLong(millis), t -> ctx.response().end("late"));
    });
    simulator.adminRoute("/always401").handler(ctx -> ctx.response().setStatusCode(401)
        .putHeader("Content-Type", "application/json")
        .end("{\"error\":{\"code\":401,\"message\":\"Invalid access_token\",\"more_info\":{}}}"));
    simulator.adminRoute("/cookie").handler(ctx -> ctx.response()
        .putHeader("Set-Cookie", "ECSESSID=cafe24-session; path=/; HttpOnly")
        .putHeader("Set-Cookie2", "legacy=1")
        .end("{}"));
    // 401s a refresh cannot cure: Cafe24's words for a call that names no client (a Front API call without one).
    simulator.adminRoute("/other401").handler(ctx -> ctx.response().setStatusCode(401)
        .putHeader("Content-Type", "application/json").putHeader("X-Upstream-Said", "other401")
        .end(OTHER_401));
    simulator.adminRoute("/big401").handler(ctx -> {
      int size = Integer.parseInt(ctx.queryParams().get("size"));
      HttpServerResponse response = ctx.response().setStatusCode(401).setChunked(true);
      for (int sent = 0; sent < size; sent += 1000) {
        response.write(Buffer.buffer(pattern(Math.min(1000, size - sent), sent)));
      }
      response.end();
    });
    simulator.adminRoute("/redirect").handler(ctx -> ctx.response().setStatusCode(302)
        .putHeader("Location", "http://127.0.0.1:9/elsewhere").end());
  }

  /** The bytes {@code /download} sends: position {@code i} holds {@code i % 251}. */
  public static byte[] pattern(int length, long offset) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((offset + i) % 251);
    }
    return bytes;
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void echo(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    MessageDigest digest = sha256();
    long[] length = {0};
    request.handler(chunk -> {
      digest.update(chunk.getBytes());
      length[0] += chunk.length();
    });
    request.endHandler(done -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("method", request.method().name())
          .put("uri", request.uri())
          .put("headers", headers)
          .put("length", length[0])
          .put("sha256", HexFormat.of().formatHex(digest.digest()))
          .encode());
    });
  }

  private static void download(RoutingContext ctx) {
    long size = Long.parseLong(ctx.queryParams().get("size"));
    HttpServerResponse response = ctx.response();
    if ("true".equals(ctx.queryParams().get("chunked"))) {
      response.setChunked(true);
    } else {
      response.putHeader("Content-Length", String.valueOf(size));
    }
    String cutAt = ctx.queryParams().get("cutAt");
    if (cutAt != null) {
      long cut = Long.parseLong(cutAt);
      response.write(Buffer.buffer(pattern((int) cut, 0)))
          .onComplete(written -> ctx.request().connection().close());
      return;
    }
    write(response, new long[] {0}, size);
  }

  /** Bytes all {@code /download} responses have handed to their connections so far. */
  public static long downloadBytesSent() {
    return DOWNLOADED.sum();
  }

  private static final java.util.concurrent.atomic.LongAdder DOWNLOADED = new java.util.concurrent.atomic.LongAdder();

  private static void write(HttpServerResponse response, long[] sent, long size) {
    if (response.closed()) {
      return;
    }
    while (sent[0] < size && !response.writeQueueFull()) {
      int n = (int) Math.min(64 * 1024, size - sent[0]);
      response.write(Buffer.buffer(pattern(n, sent[0])));
      sent[0] += n;
      DOWNLOADED.add(n);
    }
    if (sent[0] >= size) {
      response.end();
    } else {
      response.drainHandler(drained -> write(response, sent, size));
    }
  }
}
