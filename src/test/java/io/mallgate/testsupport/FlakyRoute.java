package io.mallgate.testsupport;

import io.mallgate.sandbox.Cafe24Simulator;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /api/v2/admin/flaky} on the simulator, answering each mall as the test says: 200 with a small JSON body by
 * default, or a given status with Cafe24's error envelope and an {@code X-Flaky} header (so a test can tell Cafe24's
 * answer from the gateway's). Counts the calls that reached it, per mall: what a sick mall really received.
 */
public final class FlakyRoute {

  public static final String PATH = "/api/v2/admin/flaky";

  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  private FlakyRoute() {
  }

  public static FlakyRoute install(Cafe24Simulator simulator) {
    FlakyRoute route = new FlakyRoute();
    simulator.adminRoute("/flaky").handler(route::answer);
    return route;
  }

  /** From now on the mall's calls get {@code status}. */
  public void answer(String mall, int status) {
    statuses.put(mall, status);
  }

  /** From now on the mall's calls get 200 again. */
  public void heal(String mall) {
    statuses.remove(mall);
  }

  /** Calls that reached the simulator for the mall. */
  public int calls(String mall) {
    AtomicInteger count = calls.get(mall);
    return count == null ? 0 : count.get();
  }

  /** The body sent with a non-200 {@code status}: Cafe24's error envelope. */
  public static String envelope(int status) {
    return "{\"error\":{\"code\":" + status + ",\"message\":\"flaky answer " + status + "\"}}";
  }

  private void answer(RoutingContext ctx) {
    String mall = ctx.pathParam("mall");
    calls.computeIfAbsent(mall, key -> new AtomicInteger()).incrementAndGet();
    int status = statuses.getOrDefault(mall, 200);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("X-Flaky", Integer.toString(status))
        .end(status == 200 ? "{\"flaky\":\"ok\"}" : envelope(status));
  }
}
