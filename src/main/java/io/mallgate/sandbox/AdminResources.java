package io.mallgate.sandbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated Admin API resources, mounted behind {@link AdminGate}: products (list, one, create), orders and the
 * store, in Cafe24's shapes ({@code {"products":[…]}}, {@code {"product":{…}}}, {@code {"store":{…}}}).
 * Created products are echoed with a new number but not kept: the catalogue stays fixed so tests stay predictable.
 */
final class AdminResources {

  private static final String BASE = "/:mall/api/v2/admin";
  // Cafe24 pages with limit 1..100 (default 10); offset may not go past 8000.
  private static final int DEFAULT_LIMIT = 10;
  private static final int MAX_LIMIT = 100;
  private static final int MAX_OFFSET = 8000;
  private static final long JSON_LIMIT_BYTES = 1024 * 1024;

  private final Clock clock;
  private final AtomicInteger nextProductNo = new AtomicInteger(1000);

  AdminResources(Clock clock) {
    this.clock = clock;
  }

  void mount(Router router) {
    router.get(BASE + "/products").handler(ctx -> page(ctx, "products", SampleData.products()));
    router.get(BASE + "/products/:no").handler(this::product);
    router.post(BASE + "/products").handler(BodyHandler.create(false).setBodyLimit(JSON_LIMIT_BYTES))
        .handler(this::createProduct);
    router.get(BASE + "/orders").handler(ctx -> page(ctx, "orders", SampleData.orders()));
    router.get(BASE + "/store").handler(ctx ->
        Replies.json(ctx, 200, new JsonObject().put("store", SampleData.store(ctx.pathParam("mall")))));
  }

  /** Answers {@code {"<name>":[…]}} with the page of {@code all} that {@code limit} and {@code offset} ask for. */
  static void page(RoutingContext ctx, String name, JsonArray all) {
    Integer limit = intParam(ctx, "limit", DEFAULT_LIMIT);
    Integer offset = intParam(ctx, "offset", 0);
    if (limit == null || limit < 1 || limit > MAX_LIMIT) {
      Replies.apiError(ctx, 422, "limit must be between 1 and " + MAX_LIMIT);
      return;
    }
    if (offset == null || offset < 0 || offset > MAX_OFFSET) {
      Replies.apiError(ctx, 422, "offset must be between 0 and " + MAX_OFFSET);
      return;
    }
    JsonArray page = new JsonArray();
    for (int i = offset; i < all.size() && page.size() < limit; i++) {
      page.add(all.getValue(i));
    }
    Replies.json(ctx, 200, new JsonObject().put(name, page));
  }

  private void product(RoutingContext ctx) {
    JsonObject product = null;
    try {
      product = SampleData.product(Integer.parseInt(ctx.pathParam("no")));
    } catch (NumberFormatException notANumber) {
      // Falls through to 404, as an unknown number would.
    }
    if (product == null) {
      Replies.apiError(ctx, 404, "Product not found.");
      return;
    }
    Replies.json(ctx, 200, new JsonObject().put("product", product));
  }

  private void createProduct(RoutingContext ctx) {
    JsonObject request;
    try {
      JsonObject body = ctx.body().asJsonObject();
      request = body == null ? null : body.getJsonObject("request");
    } catch (DecodeException | ClassCastException malformed) {
      Replies.apiError(ctx, 400, "The request body is not valid JSON.");
      return;
    }
    if (request == null || !(request.getValue("product_name") instanceof String)) {
      Replies.apiError(ctx, 422, "request.product_name is required");
      return;
    }
    Replies.json(ctx, 201, new JsonObject().put("product", created(request)));
  }

  private JsonObject created(JsonObject request) {
    int productNo = nextProductNo.incrementAndGet();
    String now = KoreaTime.zoned(clock.instant());
    String productCode = String.format("P%07X", productNo);
    // Cafe24 assigns the number and code itself: the second puts overwrite whatever the request tried to set,
    // while the first ones keep them at the front of the object, where Cafe24 writes them.
    return new JsonObject()
        .put("shop_no", 1)
        .put("product_no", productNo)
        .put("product_code", productCode)
        .mergeIn(request)
        .put("shop_no", 1)
        .put("product_no", productNo)
        .put("product_code", productCode)
        .put("created_date", now)
        .put("updated_date", now);
  }

  /** The query parameter as an int, {@code fallback} when absent, {@code null} when not a number. */
  private static Integer intParam(RoutingContext ctx, String name, int fallback) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }
}
