package io.mallgate.webhook;

import static io.mallgate.testsupport.Await.result;

import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Posting webhooks to a gateway and reading the stream behind it. */
final class WebhookTestSupport {

  private WebhookTestSupport() {
  }

  static HttpResponse<Buffer> post(GatewayFixture fixture, RunningGateway gateway, String uri, byte[] body,
      String... headers) {
    var request = fixture.client.post(gateway.port(), "127.0.0.1", uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return result(request.sendBuffer(Buffer.buffer(body)));
  }

  /** Base64 HMAC-SHA256, for tests whose subject is not the algorithm (the vectors prove that independently). */
  static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] event(int eventNo, String mall, String extra) {
    return ("{\"event_no\":" + eventNo + ",\"resource\":{\"mall_id\":\"" + mall + "\",\"event_shop_no\":\"1\""
        + extra + "}}").getBytes(StandardCharsets.UTF_8);
  }

  static long xlen(Vertx vertx, String redisUrl, String stream) {
    return send(vertx, redisUrl, Request.cmd(Command.XLEN).arg(stream)).toLong();
  }

  static Response xrange(Vertx vertx, String redisUrl, String stream) {
    return send(vertx, redisUrl, Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+"));
  }

  private static Response send(Vertx vertx, String redisUrl, Request request) {
    Redis redis = Redis.createClient(vertx, redisUrl);
    try {
      return result(redis.send(request));
    } finally {
      redis.close();
    }
  }
}
