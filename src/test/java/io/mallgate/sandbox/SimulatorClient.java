package io.mallgate.sandbox;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test-side calls to a started {@link Cafe24Simulator} over real loopback HTTP, each returning its Future. */
final class SimulatorClient {

  static final String REDIRECT_URI = "https://app.example.test/oauth/callback";

  private final WebClient client;
  private final String origin;
  private final SimulatorSettings settings;

  SimulatorClient(Vertx vertx, Cafe24Simulator simulator, SimulatorSettings settings) {
    // Redirects are what the authorize tests look at, so they must not be followed.
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.origin = simulator.baseUrl().replace("/{mall}", "");
    this.settings = settings;
  }

  void close() {
    client.close();
  }

  String url(String mall, String path) {
    return origin + "/" + mall + path;
  }

  Future<HttpResponse<Buffer>> authorize(String mall, String query) {
    return client.getAbs(url(mall, "/api/v2/oauth/authorize?" + query)).send();
  }

  /** Runs the authorize step with valid parameters and returns the code from the redirect. */
  Future<String> obtainCode(String mall) {
    return authorize(mall, "response_type=code&client_id=" + settings.clientId() + "&state=s1&redirect_uri="
        + encode(REDIRECT_URI) + "&scope=mall.read_product,mall.read_order")
        .map(response -> queryParam(response.getHeader("Location"), "code"));
  }

  Future<HttpResponse<Buffer>> exchange(String mall, String code) {
    return token(mall, settings.clientSecret(), MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "authorization_code").add("code", code).add("redirect_uri", REDIRECT_URI));
  }

  Future<HttpResponse<Buffer>> refresh(String mall, String refreshToken) {
    return token(mall, settings.clientSecret(), MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "refresh_token").add("refresh_token", refreshToken));
  }

  /** A refresh whose client gives up, closing the connection, when no answer came within {@code timeoutMillis}. */
  Future<HttpResponse<Buffer>> refresh(String mall, String refreshToken, long timeoutMillis) {
    return withBasic(client.postAbs(url(mall, "/api/v2/oauth/token")), settings.clientSecret())
        .timeout(timeoutMillis)
        .sendForm(MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "refresh_token").add("refresh_token", refreshToken));
  }

  Future<HttpResponse<Buffer>> token(String mall, String secret, MultiMap form) {
    return withBasic(client.postAbs(url(mall, "/api/v2/oauth/token")), secret).sendForm(form);
  }

  Future<HttpResponse<Buffer>> revoke(String mall, String token, String hint) {
    return withBasic(client.postAbs(url(mall, "/api/v2/oauth/revoke")), settings.clientSecret())
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_hint", hint));
  }

  /** Authorize, then exchange the code: the token response of a fresh install. */
  Future<JsonObject> install(String mall) {
    return obtainCode(mall).compose(code -> exchange(mall, code)).map(HttpResponse::bodyAsJsonObject);
  }

  /** An Admin API request; {@code accessToken} {@code null} sends no Authorization header. */
  HttpRequest<Buffer> admin(HttpMethod method, String mall, String path, String accessToken) {
    HttpRequest<Buffer> request = client.requestAbs(method, url(mall, "/api/v2/admin" + path));
    return accessToken == null ? request : request.putHeader("Authorization", "Bearer " + accessToken);
  }

  /** A Front API GET of {@code /api/v2} + {@code path}, with no header set. */
  HttpRequest<Buffer> front(String mall, String path) {
    return client.getAbs(url(mall, "/api/v2" + path));
  }

  Future<HttpResponse<Buffer>> get(String mall, String path, String accessToken) {
    return admin(HttpMethod.GET, mall, path, accessToken).send();
  }

  static String queryParam(String uri, String name) {
    for (String pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest<Buffer> withBasic(HttpRequest<Buffer> request, String secret) {
    String credentials = settings.clientId() + ":" + secret;
    return request.putHeader("Authorization",
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }
}
