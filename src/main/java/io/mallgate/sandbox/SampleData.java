package io.mallgate.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The fixed catalogue every simulated mall shows: a few products and orders in Cafe24's field names and formats
 * (prices as decimal strings, dates with the {@code +09:00} offset, flags as {@code "T"}/{@code "F"}).
 * Each call returns fresh copies, so a handler may decorate them freely.
 */
final class SampleData {

  private static final String[][] PRODUCTS = {
      {"11", "P00000AA", "Sandbox linen shirt", "39000.00", "2024-01-15T10:00:00+09:00"},
      {"12", "P00000AB", "Sandbox wool scarf", "25000.00", "2024-01-16T11:30:00+09:00"},
      {"13", "P00000AC", "Sandbox canvas tote", "18000.00", "2024-02-01T09:15:00+09:00"},
      {"14", "P00000AD", "Sandbox ceramic mug", "12000.00", "2024-02-20T14:45:00+09:00"},
      {"15", "P00000AE", "Sandbox cotton socks", "6000.00", "2024-03-05T16:20:00+09:00"},
  };

  private static final String[][] ORDERS = {
      {"20240301-0000011", "2024-03-01T10:12:00+09:00", "39000.00", "member01"},
      {"20240302-0000023", "2024-03-02T18:40:00+09:00", "43000.00", "member02"},
      {"20240303-0000035", "2024-03-03T08:05:00+09:00", "12000.00", "member01"},
  };

  private SampleData() {
  }

  static JsonArray products() {
    JsonArray products = new JsonArray();
    for (String[] row : PRODUCTS) {
      products.add(new JsonObject()
          .put("shop_no", 1)
          .put("product_no", Integer.parseInt(row[0]))
          .put("product_code", row[1])
          .put("product_name", row[2])
          .put("price", row[3])
          .put("display", "T")
          .put("selling", "T")
          .put("created_date", row[4])
          .put("updated_date", row[4]));
    }
    return products;
  }

  /** The product numbered {@code productNo}, or {@code null}. */
  static JsonObject product(int productNo) {
    for (Object product : products()) {
      JsonObject json = (JsonObject) product;
      if (json.getInteger("product_no") == productNo) {
        return json;
      }
    }
    return null;
  }

  private static final String[][] CATEGORIES = {
      {"24", "Clothing", "1", "1"},
      {"25", "Accessories", "1", "1"},
      {"26", "Shirts", "24", "2"},
  };

  /** The storefront's categories: number, name, parent (1 for the root) and depth. */
  static JsonArray categories() {
    JsonArray categories = new JsonArray();
    for (String[] row : CATEGORIES) {
      categories.add(new JsonObject()
          .put("shop_no", 1)
          .put("category_no", Integer.parseInt(row[0]))
          .put("category_name", row[1])
          .put("parent_category_no", Integer.parseInt(row[2]))
          .put("category_depth", Integer.parseInt(row[3]))
          .put("display_type", "A"));
    }
    return categories;
  }

  static JsonArray orders() {
    JsonArray orders = new JsonArray();
    for (String[] row : ORDERS) {
      orders.add(new JsonObject()
          .put("shop_no", 1)
          .put("order_id", row[0])
          .put("order_date", row[1])
          .put("payment_amount", row[2])
          .put("currency", "KRW")
          .put("member_id", row[3])
          .put("paid", "T")
          .put("canceled", "F"));
    }
    return orders;
  }

  static JsonObject store(String mall) {
    return new JsonObject()
        .put("shop_no", 1)
        .put("shop_name", "Sandbox shop " + mall)
        .put("mall_id", mall)
        .put("base_domain", mall + ".cafe24.com")
        .put("primary_domain", mall + ".cafe24.com")
        .put("company_name", "Mallgate Sandbox")
        .put("currency", "KRW")
        .put("language_code", "ko_KR")
        .put("timezone", "Asia/Seoul");
  }
}
