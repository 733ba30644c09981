package io.mallgate.oauth;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The install flow end to end: gateway → simulated Cafe24 authorize → callback → code exchange → proxied call. */
@Timeout(60)
@Slow
class OAuthFlowTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Cafe24Simulator simulator;
  static RunningGateway gateway;
  static WebClient client;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.capture();
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx, SimulatorSettings.defaults()));
    result(simulator.start(0));
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir).build()));
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
    logs.close();
  }

  private static HttpResponse<Buffer> get(String absoluteUrl) {
    return result(client.getAbs(absoluteUrl).putHeader("Accept", "application/json").send());
  }

  private static String gatewayUrl(String pathAndQuery) {
    return "http://127.0.0.1:" + gateway.port() + pathAndQuery;
  }

  /** Install → authorize: returns the callback URL Cafe24 sends the browser to. */
  private static String authorize(String mall) {
    HttpResponse<Buffer> install = get(gatewayUrl("/oauth/install?mall_id=" + mall));
    assertEquals(302, install.statusCode(), install.bodyAsString());
    HttpResponse<Buffer> authorize = get(install.getHeader("Location"));
    assertEquals(302, authorize.statusCode(), authorize.bodyAsString());
    return authorize.getHeader("Location");
  }

  @Test
  void should_store_tokens_and_proxy_when_install_flow_completes() {
    HttpResponse<Buffer> install = get(gatewayUrl("/oauth/install?mall_id=shop1"));
    Map<String, String> query = query(install.getHeader("Location"));
    assertEquals("code", query.get("response_type"));
    assertEquals(TestConfig.CLIENT_ID, query.get("client_id"));
    assertEquals(gatewayUrl("/oauth/callback"), query.get("redirect_uri"));
    assertEquals("mall.read_product,mall.read_store", query.get("scope"));
    assertTrue(query.get("state").length() >= 32);

    int exchanges = simulator.codeExchangeCount();
    String callback = get(install.getHeader("Location")).getHeader("Location");
    HttpResponse<Buffer> done = get(callback);
    assertEquals(200, done.statusCode(), done.bodyAsString());
    assertEquals("shop1", done.bodyAsJsonObject().getString("mall_id"));
    assertEquals(exchanges + 1, simulator.codeExchangeCount());
    assertFalse(done.bodyAsString().contains("token\":\""), "no token in the answer");

    HttpResponse<Buffer> products = get(gatewayUrl("/malls/shop1/api/v2/admin/products"));
    assertEquals(200, products.statusCode(), products.bodyAsString());

    String code = query(callback).get("code");
    String state = query(callback).get("state");
    assertTrue(logs.linesContaining(code, state).isEmpty(), "code or state logged: " + logs.linesContaining(code, state));
  }

  @Test
  void should_answer_html_page_when_browser_completes_install() {
    String callback = authorize("shop-html");
    HttpResponse<Buffer> done = result(client.getAbs(callback).putHeader("Accept", "text/html").send());
    assertEquals(200, done.statusCode());
    assertTrue(done.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(done.bodyAsString().contains("shop-html"));
  }

  @Test
  void should_refuse_state_when_it_is_reused() {
    String callback = authorize("shop2");
    assertEquals(200, get(callback).statusCode());
    int exchanges = simulator.codeExchangeCount();
    HttpResponse<Buffer> again = get(callback);
    assertEquals(400, again.statusCode());
    assertEquals("invalid_state", again.getHeader("X-Mallgate-Error"));
    assertEquals(exchanges, simulator.codeExchangeCount());
  }

  @Test
  void should_refuse_state_when_it_is_unknown() {
    HttpResponse<Buffer> response = get(gatewayUrl("/oauth/callback?code=abc&state=never-issued"));
    assertEquals(400, response.statusCode());
    assertEquals("invalid_state", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_store_nothing_and_say_why_when_cafe24_refuses_the_code() {
    String callback = authorize("shop3");
    String state = query(callback).get("state");
    HttpResponse<Buffer> refused = get(gatewayUrl("/oauth/callback?code=not-a-real-code&state=" + state));
    assertEquals(502, refused.statusCode(), refused.bodyAsString());
    assertEquals("token_exchange_failed", refused.getHeader("X-Mallgate-Error"));
    assertTrue(refused.bodyAsString().contains("invalid_grant"), refused.bodyAsString());
    HttpResponse<Buffer> proxied = get(gatewayUrl("/malls/shop3/api/v2/admin/products"));
    assertEquals("mall_not_authorized", proxied.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_answer_client_rejected_not_a_bad_code_when_the_exchange_is_refused_for_the_client_secret() {
    RunningGateway wrong = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "",
        dir.resolve("wrong-secret")).set("cafe24.clientSecret", "not-the-secret").build()));
    try {
      HttpResponse<Buffer> install = get("http://127.0.0.1:" + wrong.port() + "/oauth/install?mall_id=shop-wrong");
      String callback = get(install.getHeader("Location")).getHeader("Location");
      int exchanges = simulator.codeExchangeCount();
      HttpResponse<Buffer> done = get(callback);
      assertEquals(503, done.statusCode(), done.bodyAsString());
      assertEquals("cafe24_client_rejected", done.getHeader("X-Mallgate-Error"));
      assertTrue(done.bodyAsString().contains("cafe24.clientSecret"), done.bodyAsString());
      assertEquals(exchanges, simulator.codeExchangeCount(), "nothing exchanged");
    } finally {
      result(wrong.stop());
    }
  }

  @Test
  void should_answer_authorization_denied_when_merchant_declines() {
    String callback = authorize("shop4");
    String state = query(callback).get("state");
    HttpResponse<Buffer> denied = get(gatewayUrl("/oauth/callback?error=access_denied&state=" + state));
    assertEquals(400, denied.statusCode());
    assertEquals("authorization_denied", denied.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_redirect_when_app_launch_signature_is_valid() {
    HttpResponse<Buffer> response = get(gatewayUrl("/oauth/install?" + launchQuery("shop5",
        System.currentTimeMillis() / 1000, TestConfig.CLIENT_SECRET)));
    assertEquals(302, response.statusCode(), response.bodyAsString());
  }

  @Test
  void should_answer_403_when_app_launch_signature_is_wrong() {
    HttpResponse<Buffer> response = get(gatewayUrl("/oauth/install?" + launchQuery("shop5",
        System.currentTimeMillis() / 1000, "not-the-secret")));
    assertEquals(403, response.statusCode());
    assertEquals("invalid_launch_signature", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_answer_403_when_app_launch_is_stale() {
    HttpResponse<Buffer> response = get(gatewayUrl("/oauth/install?" + launchQuery("shop5",
        System.currentTimeMillis() / 1000 - 3600, TestConfig.CLIENT_SECRET)));
    assertEquals(403, response.statusCode());
    assertEquals("invalid_launch_signature", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_answer_invalid_request_without_logging_the_code_when_the_query_is_malformed() {
    String code = "CANARYcode" + System.nanoTime();
    HttpResponse<Buffer> response = get(gatewayUrl("/oauth/callback?code=" + code + "&state=CANARYstate&x=%zz"));
    assertEquals(400, response.statusCode(), response.bodyAsString());
    assertEquals("invalid_request", response.getHeader("X-Mallgate-Error"));
    assertTrue(logs.linesContaining(code, "CANARYstate").isEmpty(), logs.linesContaining(code).toString());
  }

  @Test
  void should_answer_invalid_mall_id_when_install_names_a_bad_mall() {
    HttpResponse<Buffer> response = get(gatewayUrl("/oauth/install?mall_id=evil.com"));
    assertEquals(400, response.statusCode());
    assertEquals("invalid_mall_id", response.getHeader("X-Mallgate-Error"));
  }

  private static String launchQuery(String mall, long timestamp, String secret) {
    String signed = "is_multi_shop=T&lang=ko_KR&mall_id=" + mall + "&nation=KR&shop_no=1&timestamp=" + timestamp
        + "&user_id=admin&user_name=Admin&user_type=P";
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String hmac = Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
      return signed + "&hmac=" + java.net.URLEncoder.encode(hmac, StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> query(String url) {
    Map<String, String> params = new HashMap<>();
    String raw = URI.create(url).getRawQuery();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    if (params.containsKey("state")) {
      Canaries.add(params.get("state")); // the gateway's own state: no log line may hold it
    }
    return params;
  }

}
