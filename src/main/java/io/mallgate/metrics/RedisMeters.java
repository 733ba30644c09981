package io.mallgate.metrics;

import io.mallgate.redis.CommandListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every Redis command the gateway sends, as {@link io.mallgate.redis.RedisCommands} reports it:
 * {@code mallgate_redis_command_duration_seconds{command}} (a histogram from 1 ms to 5 s, waiting for a place
 * included) and {@code mallgate_redis_command_errors_total{command}}. The command label is the command's name
 * ({@code hmget}, {@code evalsha}, …): the gateway sends a fixed handful, so the series are bounded.
 */
final class RedisMeters implements MeterBinder, CommandListener {

  private static final Duration[] BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_000, 5_000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void done(String command, long nanos, boolean failed) {
    MeterRegistry bound = registry;
    if (bound == null) {
      return;
    }
    timers.computeIfAbsent(command, key -> Timer.builder("mallgate.redis.command.duration")
            .description("Redis commands, from the call to the reply (waiting for a place included)")
            .tag("command", key)
            .serviceLevelObjectives(BUCKETS)
            .register(bound))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      errors.computeIfAbsent(command, key -> Counter.builder("mallgate.redis.command.errors")
              .description("Redis commands that failed: deadline, connection or an error reply (NOSCRIPT aside)")
              .tag("command", key)
              .register(bound))
          .increment();
    }
  }
}
