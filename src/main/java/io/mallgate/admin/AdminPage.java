package io.mallgate.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operators' page at {@code /admin/}: static HTML, JavaScript and CSS from the jar ({@code webroot/admin/}),
 * which call the admin API with the token the operator types in. The page's files carry nothing secret, so exactly
 * they are served without the admin token (mounted before the guard); every other {@code /admin/} path stays
 * guarded. They go out with a strict Content-Security-Policy (no inline script, the API on this origin only), framing
 * refused, and revalidation on every load so an upgrade is seen at once.
 *
 * <p>Also serves {@code GET /admin/openapi.yaml}, the admin API's description, behind the guard like the API.
 */
final class AdminPage {

  /** The page's files, by the paths they are served under; nothing else under /admin/ skips the guard. */
  static final Map<String, String> FILES = Map.of("/admin/", "index.html", "/admin/index.html", "index.html",
      "/admin/admin.js", "admin.js", "/admin/admin.css", "admin.css");
  private static final String ROOT = "webroot/admin/";
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final Vertx vertx;
  /** The files as read from the jar: a few kilobytes, read once each. */
  private final Map<String, Buffer> loaded = new ConcurrentHashMap<>();

  AdminPage(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Mounts the page's files; call before the admin guard. */
  void mountPage(Router router) {
    FILES.forEach((path, file) -> router.get(path).handler(AdminPage::securityHeaders)
        .handler(ctx -> send(ctx, file, type(file))));
  }

  /** Mounts the API description; call after the admin guard. */
  void mountDescription(Router router) {
    router.get("/admin/openapi.yaml").handler(ctx -> send(ctx, "openapi.yaml", "application/yaml; charset=utf-8"));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Frame-Options", "DENY")
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /**
   * Sends one file from the class path. Not vertx-web's StaticHandler: it maps a prefix route onto a directory, and
   * the page needs exact paths so that nothing else under /admin/ can ever skip the guard. Read through the file
   * system API (on a worker: resolving a class-path file may unpack it from the jar) and kept.
   */
  private void send(RoutingContext ctx, String file, String type) {
    Buffer known = loaded.get(file);
    (known != null ? Future.succeededFuture(known) : vertx.fileSystem().readFile(ROOT + file))
        .onSuccess(bytes -> {
          loaded.putIfAbsent(file, bytes);
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type)
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache") // revalidate: an upgrade is seen at once
              .end(bytes);
        })
        .onFailure(ctx::fail);
  }

  private static String type(String file) {
    return file.endsWith(".js") ? "text/javascript; charset=utf-8"
        : file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
  }
}
