package io.mallgate.oauth;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install state without server writes, on Redis and across instances: a flood of installs with made-up mall ids
 * leaves Redis as it was, and a callback's state is taken once whichever instance it reaches.
 */
@Timeout(120)
@Slow
class InstallFloodTest {

  private static final int INSTALLS = 5_000;
  private static final int AT_ONCE = 64;

  @TempDir
  static Path dir;
  static RedisServer redisServer;
  static GatewayFixture fixture;
  static RunningGateway first;
  static RunningGateway second;
  static WebClient browser;
  static Redis redis;

  @BeforeAll
  static void start() {
    redisServer = RedisServer.dedicated();
    fixture = GatewayFixture.start(SimulatorSettings.defaults());
    first = fixture.deploy(fixture.config(redisServer.url(), dir.resolve("a")));
    second = fixture.deploy(fixture.config(redisServer.url(), dir.resolve("b")));
    browser = WebClient.create(fixture.vertx, new WebClientOptions().setFollowRedirects(false));
    redis = Redis.createClient(fixture.vertx, redisServer.url());
  }

  @AfterAll
  static void stop() {
    fixture.close();
    redisServer.close();
  }

  @Test
  void should_write_nothing_to_redis_when_installs_are_flooded() {
    long keysBefore = dbSize();
    long start = System.nanoTime();
    int redirected = 0;
    for (int sent = 0; sent < INSTALLS; sent += AT_ONCE) {
      List<Future<HttpResponse<Buffer>>> wave = new ArrayList<>();
      for (int i = sent; i < Math.min(INSTALLS, sent + AT_ONCE); i++) {
        wave.add(browser.get(first.port(), "127.0.0.1", "/oauth/install?mall_id=made-up-" + i).send());
      }
      for (Future<HttpResponse<Buffer>> answer : wave) {
        redirected += result(answer).statusCode() == 302 ? 1 : 0;
      }
    }
    long keysAfter = dbSize();
    System.out.printf("install flood: %d installs, %d redirected in %d ms; Redis keys before %d, after %d%n",
        INSTALLS, redirected, (System.nanoTime() - start) / 1_000_000, keysBefore, keysAfter);
    assertEquals(INSTALLS, redirected);
    assertEquals(keysBefore, keysAfter, "an install wrote to Redis");
  }

  @Test
  void should_take_a_state_once_when_its_callback_reaches_two_instances() {
    String callback = authorize("shop-twice");
    HttpResponse<Buffer> installed = result(browser.getAbs(callback).putHeader("Accept", "application/json").send());
    assertEquals(200, installed.statusCode(), installed.bodyAsString());
    String path = callback.substring(callback.indexOf("/oauth/callback"));
    HttpResponse<Buffer> replayed = result(browser.get(second.port(), "127.0.0.1", path)
        .putHeader("Accept", "application/json").send());
    assertEquals(400, replayed.statusCode());
    assertEquals("invalid_state", replayed.getHeader("X-Mallgate-Error"));
  }

  /** Install on the first instance → the simulator's authorize page → the callback URL it sends the browser to. */
  private static String authorize(String mall) {
    HttpResponse<Buffer> install = result(browser.get(first.port(), "127.0.0.1", "/oauth/install?mall_id=" + mall)
        .send());
    assertEquals(302, install.statusCode());
    HttpResponse<Buffer> authorize = result(browser.getAbs(install.getHeader("Location")).send());
    assertEquals(302, authorize.statusCode(), authorize.bodyAsString());
    return authorize.getHeader("Location");
  }

  private static long dbSize() {
    return result(redis.send(Request.cmd(Command.DBSIZE))).toLong();
  }
}
