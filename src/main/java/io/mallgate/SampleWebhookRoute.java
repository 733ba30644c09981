package io.mallgate;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.cafe24.MallId;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.WebhookReply;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /sandbox/webhooks/{event_no}?mall_id=demo}, on the gateway's own port in {@code --sandbox} mode only:
 * the simulated Cafe24 sends a sample of that event for that mall ({@code demo} when not given) to this gateway's
 * {@code POST /webhook}, with the sandbox's WebHook auth key in {@code X-API-Key}, and the answer is the gateway's,
 * relayed (status, {@code Content-Type}, {@code X-Mallgate-Error}, body). So a newcomer sees a webhook verified,
 * recorded and acted on (90078 stops the mall, 90079 brings it back) without a Cafe24 account.
 *
 * <p>Refused with 400: an event number the simulator does not know ({@code invalid_request}, listing those it does),
 * a mall id that is not one ({@code invalid_mall_id}), a request with a body (the sandbox writes the event). Mounted on
 * every event loop's router; stateless apart from the simulator, which is thread-safe.
 */
final class SampleWebhookRoute {

  /** The route, as Vert.x Web writes it. */
  public static final String PATH = "/sandbox/webhooks/:event_no";
  private static final Pattern EVENT_NO = Pattern.compile("[0-9]{1,9}");
  private static final List<String> RELAYED = List.of("Content-Type", "Cache-Control", "X-Mallgate-Error");

  private final Cafe24Simulator simulator;

  SampleWebhookRoute(Cafe24Simulator simulator) {
    this.simulator = simulator;
  }

  public void mount(Router router) {
    router.post(PATH).handler(this::send);
  }

  private void send(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    int eventNo = eventNo(ctx.pathParam("event_no"));
    String mall = mall(ctx.queryParams().getAll("mall_id"));
    if (hasBody(request)) {
      // Left unread: the error renderer closes the connection, so the bytes are never taken for a request.
      throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "send no body: the sandbox writes the event itself");
    }
    simulator.sendWebhook(webhookUrl(request.localAddress()), eventNo, mall)
        .onSuccess(reply -> relay(ctx, reply))
        .onFailure(failure -> ctx.fail(new GatewayFailure(ErrorCode.UPSTREAM_UNREACHABLE,
            "the simulated Cafe24 could not deliver the sample to this gateway's /webhook")));
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || length != null && !"0".equals(length);
  }

  private static int eventNo(String text) {
    if (text == null || !EVENT_NO.matcher(text).matches()
        || !Cafe24Simulator.webhookEvents().containsKey(Integer.parseInt(text))) {
      throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "unknown webhook event number; the sandbox sends "
          + Cafe24Simulator.webhookEventListing());
    }
    return Integer.parseInt(text);
  }

  private static String mall(List<String> given) {
    if (given.isEmpty()) {
      return SandboxMode.DEMO_MALL;
    }
    if (given.size() > 1 || !MallId.isValid(given.get(0))) {
      throw new GatewayFailure(ErrorCode.INVALID_MALL_ID, "mall_id must be one mall id: 1 to 63 lowercase letters, "
          + "digits or inner hyphens (the sandbox's mall is '" + SandboxMode.DEMO_MALL + "')");
    }
    return given.get(0);
  }

  /** This very gateway's {@code /webhook}: the address the sample request came in on. */
  private static String webhookUrl(SocketAddress local) {
    String host = local.hostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + local.port() + "/webhook";
  }

  private static void relay(RoutingContext ctx, WebhookReply reply) {
    ctx.response().setStatusCode(reply.status());
    for (String name : RELAYED) {
      String value = reply.headers().get(name);
      if (value != null) {
        ctx.response().putHeader(name, value);
      }
    }
    ctx.response().end(reply.body());
  }
}
