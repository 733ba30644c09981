package io.mallgate.metrics;

import io.mallgate.resilience.CircuitStatus;
import io.mallgate.resilience.MallBreakers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The per-mall circuits of this instance, read from {@link MallBreakers#statuses()} at scrape time:
 * <ul>
 *   <li>{@code mallgate_circuit_malls{state="closed|open|half_open"}}: gauge, malls whose circuit is in that state
 *       (a mall counts from its first upstream call);</li>
 *   <li>{@code mallgate_circuit_transitions_total{to="open|half_open|closed"}}: counter, moves to that state summed
 *       over every mall since the instance started.</li>
 * </ul>
 * No mall label: the number of malls is not bounded by anything the operator configures. The meters refer to the
 * breakers weakly (Micrometer's default); the gateway holds them for as long as it runs.
 */
final class BreakerMeters implements MeterBinder {

  private static final String[] STATES = {"closed", "open", "half_open"};

  private final MallBreakers breakers;

  BreakerMeters(MallBreakers breakers) {
    this.breakers = breakers;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String state : STATES) {
      String name = state.toUpperCase(Locale.ROOT);
      Gauge.builder("mallgate.circuit.malls", breakers, b -> inState(b, name))
          .description("Malls whose circuit is in this state on this instance")
          .tag("state", state)
          .register(registry);
    }
    transitions(registry, "open", CircuitStatus::opened);
    transitions(registry, "half_open", CircuitStatus::halfOpened);
    transitions(registry, "closed", CircuitStatus::closed);
  }

  private void transitions(MeterRegistry registry, String to, ToLongFunction<CircuitStatus> moves) {
    FunctionCounter.builder("mallgate.circuit.transitions", breakers,
            b -> b.statuses().values().stream().mapToLong(moves).sum())
        .description("Moves of mall circuits to this state on this instance, all malls together")
        .tag("to", to)
        .register(registry);
  }

  private static double inState(MallBreakers breakers, String state) {
    return breakers.statuses().values().stream().filter(status -> status.state().equals(state)).count();
  }
}
