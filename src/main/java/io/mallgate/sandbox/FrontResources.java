package io.mallgate.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The simulated Front API resources, mounted behind {@link FrontGate}: the storefront's view of products (displayed
 * ones only, without the admin-only fields) and its categories, in Cafe24's shapes ({@code {"products":[…]}},
 * {@code {"product":{…}}}, {@code {"categories":[…]}}).
 */
final class FrontResources {

  private static final String BASE = "/:mall/api/v2";

  void mount(Router router) {
    router.get(BASE + "/products").handler(ctx -> AdminResources.page(ctx, "products", storefront()));
    router.get(BASE + "/products/:no").handler(FrontResources::product);
    router.get(BASE + "/categories").handler(ctx -> AdminResources.page(ctx, "categories", SampleData.categories()));
  }

  private static void product(RoutingContext ctx) {
    JsonObject product = null;
    try {
      product = SampleData.product(Integer.parseInt(ctx.pathParam("no")));
    } catch (NumberFormatException notANumber) {
      // Falls through to 404, as an unknown number would.
    }
    if (product == null || !"T".equals(product.getString("display"))) {
      Replies.apiError(ctx, 404, "Product not found.");
      return;
    }
    Replies.json(ctx, 200, new JsonObject().put("product", shown(product)));
  }

  /** What a shopper may see of the catalogue. */
  private static JsonArray storefront() {
    JsonArray shown = new JsonArray();
    for (Object product : SampleData.products()) {
      JsonObject json = (JsonObject) product;
      if ("T".equals(json.getString("display"))) {
        shown.add(shown(json));
      }
    }
    return shown;
  }

  private static JsonObject shown(JsonObject product) {
    return new JsonObject()
        .put("shop_no", product.getValue("shop_no"))
        .put("product_no", product.getValue("product_no"))
        .put("product_code", product.getValue("product_code"))
        .put("product_name", product.getValue("product_name"))
        .put("price", product.getValue("price"))
        .put("selling", product.getValue("selling"));
  }
}
