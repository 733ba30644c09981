package io.mallgate.sandbox;

import io.mallgate.testsupport.Canaries;
import static io.mallgate.sandbox.OAuthEndpointsTest.errorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdminApiTest extends SimulatorTestBase {

  private static final String MALL = "shopa";

  @Test
  void should_answer_no_scheme_401_with_call_limit_when_bearer_is_missing(VertxTestContext ctx) {
    client.get(MALL, "/products", null).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(401, response.statusCode());
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", 401)
              .put("message", "No authentication scheme has been specified for this request.")
              .put("more_info", new JsonObject())),
          response.bodyAsJsonObject());
      assertEquals("0/40", response.getHeader("X-Api-Call-Limit"));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_invalid_access_token_when_token_is_unknown(VertxTestContext ctx) {
    client.get(MALL, "/products", "made-up-token").onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(401, response.statusCode());
      assertEquals("Invalid access_token", errorMessage(response));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_time_expired_when_clock_passes_expires_at(VertxTestContext ctx) {
    String accessToken = simulator.issueTokens(MALL).getString("access_token");
    clock.advance(Duration.ofHours(2).plusSeconds(1));
    client.get(MALL, "/products", accessToken).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(401, response.statusCode());
      assertEquals("access_token time expired. (invalid_token)", errorMessage(response));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_time_expired_when_access_tokens_are_expired_by_control(VertxTestContext ctx) {
    String accessToken = simulator.issueTokens(MALL).getString("access_token");
    simulator.expireAccessTokens(MALL);
    client.get(MALL, "/store", accessToken).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals("access_token time expired. (invalid_token)", errorMessage(response));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_invalid_access_token_when_token_belongs_to_another_mall(VertxTestContext ctx) {
    String otherMallToken = simulator.issueTokens("shopb").getString("access_token");
    client.get(MALL, "/products", otherMallToken).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(401, response.statusCode());
      assertEquals("Invalid access_token", errorMessage(response));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_429_on_41st_call_and_admit_two_more_when_one_second_passes(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    calls(40, token)
        .compose(first40 -> {
          ctx.verify(() -> first40.forEach(response -> assertEquals(200, response.statusCode())));
          return client.get(MALL, "/store", token);
        })
        .compose(the41st -> {
          ctx.verify(() -> {
            assertEquals(429, the41st.statusCode());
            assertEquals("Too Many Requests", errorMessage(the41st));
            assertEquals("40/40", the41st.getHeader("X-Api-Call-Limit"));
          });
          clock.advance(Duration.ofSeconds(1));
          return calls(3, token);
        })
        .onComplete(ctx.succeeding(afterLeak -> ctx.verify(() -> {
          assertEquals(List.of(200, 200, 429), afterLeak.stream().map(HttpResponse::statusCode).toList());
          assertEquals(2, simulator.rateLimitedCount(MALL));
          assertEquals(0, simulator.rateLimitedCount("shopb"));
          ctx.completeNow();
        })));
  }

  @Test
  void should_report_used_calls_in_call_limit_header_when_calls_are_admitted(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    calls(3, token).onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
      assertEquals(List.of("1/40", "2/40", "3/40"),
          responses.stream().map(response -> response.getHeader("X-Api-Call-Limit")).toList());
      ctx.completeNow();
    })));
  }

  @Test
  void should_run_extension_only_after_auth_when_admin_route_is_added_after_start(VertxTestContext ctx) {
    AtomicInteger reached = new AtomicInteger();
    simulator.adminRoute("/echo*").handler(rc -> {
      reached.incrementAndGet();
      rc.request().body()
          .compose(body -> rc.response().putHeader("X-Echo-Mall", rc.pathParam("mall")).end(body))
          .onFailure(rc::fail);
    });
    String token = simulator.issueTokens(MALL).getString("access_token");
    Buffer large = Buffer.buffer(new byte[5 * 1024 * 1024]);
    client.admin(HttpMethod.POST, MALL, "/echo/anything", null).sendBuffer(large)
        .compose(anonymous -> {
          ctx.verify(() -> {
            assertEquals(401, anonymous.statusCode());
            assertEquals(0, reached.get());
          });
          return client.admin(HttpMethod.POST, MALL, "/echo/anything?x=1", token).sendBuffer(large);
        })
        .onComplete(ctx.succeeding(echoed -> ctx.verify(() -> {
          assertEquals(200, echoed.statusCode());
          assertEquals(large.length(), echoed.body().length());
          assertEquals(MALL, echoed.getHeader("X-Echo-Mall"));
          assertEquals("1/40", echoed.getHeader("X-Api-Call-Limit"));
          assertEquals(1, reached.get());
          ctx.completeNow();
        })));
  }

  @Test
  void should_page_products_when_limit_and_offset_are_given(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    client.get(MALL, "/products?limit=2&offset=1", token).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(200, response.statusCode());
      JsonArray products = response.bodyAsJsonObject().getJsonArray("products");
      assertEquals(2, products.size());
      assertEquals(12, products.getJsonObject(0).getInteger("product_no"));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_404_envelope_when_product_is_unknown(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    client.get(MALL, "/products/999", token).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(404, response.statusCode());
      assertEquals(404, response.bodyAsJsonObject().getJsonObject("error").getInteger("code"));
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_201_with_created_product_when_product_is_posted(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    JsonObject request = new JsonObject().put("product_name", "New mug").put("price", "9000.00");
    client.admin(HttpMethod.POST, MALL, "/products", token).sendJsonObject(new JsonObject().put("request", request))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(201, response.statusCode());
          JsonObject product = response.bodyAsJsonObject().getJsonObject("product");
          assertEquals("New mug", product.getString("product_name"));
          assertTrue(product.getInteger("product_no") > 0);
          assertTrue(product.getString("created_date").endsWith("+09:00"));
          ctx.completeNow();
        })));
  }

  @Test
  void should_return_store_and_orders_in_cafe24_shape_when_token_is_valid(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    client.get(MALL, "/store", token)
        .compose(store -> client.get(MALL, "/orders", token).map(orders -> List.of(store, orders)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertEquals(MALL, responses.get(0).bodyAsJsonObject().getJsonObject("store").getString("mall_id"));
          assertFalse(responses.get(1).bodyAsJsonObject().getJsonArray("orders").isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void should_record_raw_uri_and_header_copy_when_admin_requests_arrive(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    client.admin(HttpMethod.GET, MALL, "/products?fields=product_no%2Cprice&limit=1", token)
        .putHeader("X-Cafe24-Api-Version", "2024-03-01").send()
        .compose(first -> client.get(MALL, "/store", null))
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          List<RecordedRequest> records = simulator.requests();
          assertEquals(2, records.size());
          RecordedRequest first = records.get(0);
          assertEquals(MALL, first.mall());
          assertEquals("GET", first.method());
          assertEquals("/" + MALL + "/api/v2/admin/products?fields=product_no%2Cprice&limit=1", first.uri());
          assertEquals("2024-03-01", first.headers().get("x-cafe24-api-version"));
          simulator.clearRecords();
          assertTrue(simulator.requests().isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void should_answer_404_envelope_after_auth_when_admin_path_is_unknown(VertxTestContext ctx) {
    String token = simulator.issueTokens(MALL).getString("access_token");
    client.get(MALL, "/no-such-resource", null)
        .compose(anonymous -> client.get(MALL, "/no-such-resource", token).map(known -> List.of(anonymous, known)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertEquals(401, responses.get(0).statusCode());
          assertEquals(404, responses.get(1).statusCode());
          assertEquals(404, responses.get(1).bodyAsJsonObject().getJsonObject("error").getInteger("code"));
          ctx.completeNow();
        })));
  }

  @Test
  void should_admit_every_call_when_rate_limit_is_disabled(Vertx vertx, VertxTestContext ctx) {
    SimulatorSettings unlimited = SimulatorSettings.defaults().withClock(clock).withRateLimitEnabled(false)
        .withBucket(2, 1.0);
    Cafe24Simulator free = Canaries.watch(new Cafe24Simulator(vertx, unlimited));
    String token = free.issueTokens(MALL).getString("access_token");
    free.start(0)
        .compose(port -> {
          SimulatorClient freeClient = new SimulatorClient(vertx, free, unlimited);
          return Future.all(List.of(freeClient.get(MALL, "/store", token), freeClient.get(MALL, "/store", token),
                  freeClient.get(MALL, "/store", token)))
              .eventually(() -> {
                freeClient.close();
                return free.stop();
              });
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < all.size(); i++) {
            HttpResponse<Buffer> response = all.resultAt(i);
            assertEquals(200, response.statusCode());
            assertEquals("0/2", response.getHeader("X-Api-Call-Limit"));
          }
          assertEquals(0, free.rateLimitedCount(MALL));
          ctx.completeNow();
        })));
  }

  @Test
  void should_put_mall_placeholder_in_base_url_when_started() {
    assertTrue(simulator.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+/\\{mall}"), simulator.baseUrl());
  }

  /** {@code count} sequential {@code GET /store} calls, so the bucket sees them in a known order. */
  private Future<List<HttpResponse<Buffer>>> calls(int count, String token) {
    Future<List<HttpResponse<Buffer>>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      chain = chain.compose(responses -> client.get(MALL, "/store", token).map(response -> {
        responses.add(response);
        return responses;
      }));
    }
    return chain;
  }
}
