package io.mallgate.sandbox;

import static io.mallgate.sandbox.OAuthEndpointsTest.errorMessage;
import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.testsupport.Canaries;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's Front API: the app identifies itself by client id (and key); an admin token is refused. */
class FrontApiTest extends SimulatorTestBase {

  private static final String MALL = "shopf";
  private static final String FRONT_KEY = "sim-front-key-51c0";

  private HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return result(request.send());
  }

  private HttpRequest<Buffer> asApp(String path) {
    return client.front(MALL, path).putHeader("X-Cafe24-Client-Id", settings.clientId());
  }

  private String basic(String key) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((settings.clientId() + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void should_answer_displayed_products_with_call_limit_when_client_id_is_the_apps() {
    HttpResponse<Buffer> response = send(asApp("/products?limit=2"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonArray products = response.bodyAsJsonObject().getJsonArray("products");
    assertEquals(2, products.size());
    assertEquals("Sandbox linen shirt", products.getJsonObject(0).getString("product_name"));
    assertEquals("1/40", response.getHeader("X-Api-Call-Limit"));
  }

  @Test
  void should_answer_categories_and_one_product_when_client_id_is_the_apps() {
    HttpResponse<Buffer> categories = send(asApp("/categories"));
    assertEquals(200, categories.statusCode());
    assertEquals("Clothing",
        categories.bodyAsJsonObject().getJsonArray("categories").getJsonObject(0).getString("category_name"));

    HttpResponse<Buffer> product = send(asApp("/products/12"));
    assertEquals(200, product.statusCode());
    assertEquals(12, product.bodyAsJsonObject().getJsonObject("product").getInteger("product_no"));
    assertEquals(404, send(asApp("/products/99")).statusCode());
  }

  @Test
  void should_answer_invalid_client_id_when_the_header_is_missing_wrong_or_doubled() {
    List<HttpRequest<Buffer>> requests = List.of(
        client.front(MALL, "/products"),
        client.front(MALL, "/products").putHeader("X-Cafe24-Client-Id", "another-app"),
        client.front(MALL, "/products").putHeader("X-Cafe24-Client-Id", List.of(settings.clientId(), "another-app")),
        client.front(MALL, "/no-such-resource"));
    for (HttpRequest<Buffer> request : requests) {
      HttpResponse<Buffer> response = send(request);
      assertEquals(401, response.statusCode());
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", 401).put("message", "Invalid client_id")
          .put("more_info", new JsonObject())), response.bodyAsJsonObject());
    }
  }

  @Test
  void should_refuse_with_403_when_an_admin_access_token_comes_to_the_front_api() {
    String ownToken = simulator.issueTokens(MALL).getString("access_token");
    String otherMallsToken = simulator.issueTokens("othermall").getString("access_token");
    for (String token : List.of(ownToken, otherMallsToken)) {
      HttpResponse<Buffer> response = send(asApp("/products").putHeader("Authorization", "Bearer " + token));
      assertEquals(403, response.statusCode());
      assertEquals("An Admin API access_token cannot be used for the Front API.", errorMessage(response));
    }
  }

  @Test
  void should_accept_a_customer_bearer_when_it_is_not_an_admin_token() {
    simulator.setFrontApiKey(FRONT_KEY);
    Canaries.add(FRONT_KEY);
    assertEquals(200, send(asApp("/products").putHeader("Authorization", "Bearer customer-token-1")).statusCode());
  }

  @Test
  void should_ask_for_the_front_key_when_one_is_set() {
    simulator.setFrontApiKey(FRONT_KEY);
    Canaries.add(FRONT_KEY);

    assertEquals(200, send(asApp("/products").putHeader("Authorization", basic(FRONT_KEY))).statusCode());
    HttpResponse<Buffer> none = send(asApp("/products"));
    assertEquals(401, none.statusCode());
    assertEquals("No authentication scheme has been specified for this request.", errorMessage(none));
    for (String wrong : List.of(basic("not-the-key"), "Basic %%%", "Basic ")) {
      HttpResponse<Buffer> response = send(asApp("/products").putHeader("Authorization", wrong));
      assertEquals(401, response.statusCode(), wrong);
    }
    assertEquals("Invalid front_api_key",
        errorMessage(send(asApp("/products").putHeader("Authorization", basic("not-the-key")))));
  }

  @Test
  void should_need_the_client_id_alone_when_no_front_key_is_set() {
    assertEquals(200, send(asApp("/products").putHeader("Authorization", basic("anything"))).statusCode());
    simulator.setFrontApiKey(FRONT_KEY);
    Canaries.add(FRONT_KEY);
    simulator.setFrontApiKey(null);
    assertEquals(200, send(asApp("/products")).statusCode());
  }

  @Test
  void should_record_front_api_requests_and_leave_the_admin_api_to_its_bearer() {
    simulator.clearRecords();
    send(asApp("/products").putHeader("X-Trace", "t1"));
    String accessToken = simulator.issueTokens(MALL).getString("access_token");

    // No client id: the Admin API asks for its bearer only, as before.
    assertEquals(200, result(client.get(MALL, "/products", accessToken)).statusCode());

    List<RecordedRequest> records = simulator.requests();
    assertEquals(List.of("/" + MALL + "/api/v2/products", "/" + MALL + "/api/v2/admin/products"),
        records.stream().map(RecordedRequest::uri).toList());
    assertEquals("t1", records.get(0).headers().get("X-Trace"));
    assertFalse(records.get(1).headers().contains("X-Cafe24-Client-Id"));
    assertTrue(records.get(0).headers().contains("X-Cafe24-Client-Id"));
  }
}
