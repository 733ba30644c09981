package io.mallgate.admin;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.cafe24.MallId;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * {@code GET /admin/malls?limit=&cursor=}: every mall with a stored record, sorted by id, a page at a time. The
 * cursor is opaque to callers (the last id of the previous page, encoded), so a mall added or removed between pages
 * neither repeats nor shifts the others.
 */
final class MallListing {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;
  private static final String CURSOR_PREFIX = "after:";

  private final TokenStore store;
  private final MallViews views;

  MallListing(TokenStore store, MallViews views) {
    this.store = store;
    this.views = views;
  }

  /**
   * One page: {@code malls} (full views), {@code next_cursor} (null on the last page) and {@code total}.
   *
   * @param limit  the query's {@code limit}, or null; 1 to {@link #MAX_LIMIT}
   * @param cursor the query's {@code cursor}, or null for the first page
   */
  Future<JsonObject> page(String limit, String cursor) {
    int size = limit(limit);
    String after = after(cursor);
    return store.malls().compose(all -> {
      List<String> page = slice(all, after, size);
      List<Future<JsonObject>> items = new ArrayList<>(page.size());
      page.forEach(mall -> items.add(views.of(mall)));
      boolean more = !page.isEmpty() && !page.get(page.size() - 1).equals(all.get(all.size() - 1));
      return Future.all(items).map(done -> {
        JsonArray malls = new JsonArray();
        items.forEach(item -> malls.add(item.result()));
        return new JsonObject().put("malls", malls).put("total", all.size())
            .put("next_cursor", more ? encode(page.get(page.size() - 1)) : null);
      });
    });
  }

  /** The ids after {@code after} (all from the start when null), at most {@code size}; {@code all} is sorted. */
  private static List<String> slice(List<String> all, String after, int size) {
    int from = 0;
    if (after != null) {
      int at = Collections.binarySearch(all, after);
      from = at >= 0 ? at + 1 : -at - 1;
    }
    return all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
  }

  private static int limit(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // the same answer as an out-of-range number
    }
    throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static String after(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String mall = decoded.startsWith(CURSOR_PREFIX) ? decoded.substring(CURSOR_PREFIX.length()) : "";
      if (MallId.isValid(mall)) {
        return mall;
      }
    } catch (IllegalArgumentException e) {
      // not base64: the same answer as any other foreign cursor
    }
    throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "cursor must be a next_cursor from a previous page");
  }

  private static String encode(String mall) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((CURSOR_PREFIX + mall).getBytes(StandardCharsets.UTF_8));
  }
}
