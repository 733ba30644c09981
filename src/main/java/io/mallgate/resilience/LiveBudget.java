package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import java.util.function.Supplier;

/**
 * The {@link RateBudget} of the current {@code rateLimit} section, recomputed only when a reload replaced the
 * section (compared by identity: a reload sets a new record only when the section changed). Lock-free: two threads
 * that meet a new section both derive the same budget, and either result may stay.
 */
final class LiveBudget implements Supplier<RateBudget> {

  private final Supplier<GatewayConfig.RateLimit> section;
  private volatile Derived derived;

  LiveBudget(Supplier<GatewayConfig.RateLimit> section) {
    this.section = section;
    GatewayConfig.RateLimit first = section.get();
    this.derived = new Derived(first, RateBudget.of(first));
  }

  @Override
  public RateBudget get() {
    GatewayConfig.RateLimit current = section.get();
    Derived last = derived;
    if (last.section != current) {
      last = new Derived(current, RateBudget.of(current));
      derived = last;
    }
    return last.budget;
  }

  /** Whether {@code rateLimit.enabled} is on right now. */
  boolean enabled() {
    return section.get().enabled();
  }

  private record Derived(GatewayConfig.RateLimit section, RateBudget budget) {
  }
}
