package io.mallgate.reload;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's configuration as it may change while it runs: the reloadable sections, each in a {@link Live} the
 * parts that use it read per use, and {@link #apply} that takes a new, validated configuration over.
 *
 * <p>What reloads: {@code rateLimit.*} (the next decision; every mall keeps its bucket), {@code breaker.*} (a closed
 * circuit at its next call, an open one once it closed again), {@code malls.allow} (the next request and install),
 * {@code alerts.*} (the next alert and check; HTTP sinks rebuilt when their URLs or delivery changed). Everything else
 * — listeners, Redis, Cafe24 credentials, token keys, webhooks, timeouts — is built into long-lived objects at start,
 * so a change there is reported as needing a restart and otherwise ignored.
 *
 * <p>Thread-safe: {@link #apply} is serialized; readers only ever read a {@link Live}.
 */
public final class LiveConfig {

  private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

  private final Vertx vertx;
  private final GatewayConfig startup;
  private final Live<GatewayConfig.RateLimit> rateLimit;
  private final Live<GatewayConfig.Breaker> breaker;
  private final Live<GatewayConfig.Malls> malls;
  private final Live<GatewayConfig.Alerts> alerts;
  private final ReloadCounters counters = new ReloadCounters();
  private final List<Runnable> afterApply = new java.util.concurrent.CopyOnWriteArrayList<>();
  private GatewayConfig current;
  private ConfigWatch watch;

  /** @param startup the configuration the gateway was built from */
  public LiveConfig(Vertx vertx, GatewayConfig startup) {
    this.vertx = vertx;
    this.startup = startup;
    this.current = startup;
    this.rateLimit = Live.of(startup.rateLimit());
    this.breaker = Live.of(startup.breaker());
    this.malls = Live.of(startup.malls());
    this.alerts = Live.of(startup.alerts());
  }

  public Live<GatewayConfig.RateLimit> rateLimit() {
    return rateLimit;
  }

  public Live<GatewayConfig.Breaker> breaker() {
    return breaker;
  }

  public Live<GatewayConfig.Malls> malls() {
    return malls;
  }

  public Live<GatewayConfig.Alerts> alerts() {
    return alerts;
  }

  public ReloadCounters counters() {
    return counters;
  }

  /**
   * Runs {@code action} after every accepted reload, whatever changed (an operator who reloads expects what was held
   * back to be tried again: a refused client's backoff, say). Called on the reloading thread; must not block.
   */
  public void afterEachApply(Runnable action) {
    afterApply.add(action);
  }

  /** The configuration in effect: the start's, with the reloadable sections as last applied. */
  public synchronized GatewayConfig current() {
    return current;
  }

  /**
   * Takes a validated configuration over: its reloadable sections replace the running ones; every other key that
   * differs from the start's is named in a WARN line (never its value) and ignored. Logs the outcome at INFO.
   *
   * @return the sections that changed and the keys that need a restart
   */
  public synchronized ReloadOutcome apply(GatewayConfig candidate) {
    List<String> restart = ConfigDiff.restartKeys(startup, candidate);
    List<String> changed = ConfigDiff.changedSections(current, candidate);
    set(changed, candidate);
    current = new GatewayConfig(startup.server(), startup.redis(), startup.cafe24(), startup.admin(),
        candidate.malls(), startup.store(), startup.proxy(), startup.tokens(), startup.oauth(), candidate.rateLimit(),
        candidate.breaker(), startup.retry(), startup.webhook(), startup.metrics(), startup.keepalive(),
        candidate.alerts(), startup.tracing(), startup.accessLog());
    counters.countApplied();
    if (!restart.isEmpty()) {
      LOG.warn("config reload: {} changed but needs a restart to take effect; running with the value(s) it started "
          + "with", String.join(", ", restart));
    }
    LOG.info("config reloaded: {}", changed.isEmpty() ? "no reloadable setting changed"
        : String.join(", ", changed) + " changed");
    afterApply.forEach(Runnable::run);
    return new ReloadOutcome(changed, restart);
  }

  // Only a changed section gets a new record: the parts compare by identity to see that they must rebuild.
  private void set(List<String> changed, GatewayConfig candidate) {
    if (changed.contains("rateLimit")) {
      rateLimit.set(candidate.rateLimit());
    }
    if (changed.contains("breaker")) {
      breaker.set(candidate.breaker());
    }
    if (changed.contains("malls")) {
      malls.set(candidate.malls());
    }
    if (changed.contains("alerts")) {
      alerts.set(candidate.alerts());
    }
  }

  /**
   * Reloads from {@code source} on every change of its file (checked every {@code interval}) and whenever the
   * returned watch's {@link ConfigWatch#reload} is called (SIGHUP). Replaces an earlier watch.
   */
  public synchronized ConfigWatch watch(ConfigSource source, Duration interval) {
    stopWatching();
    watch = ConfigWatch.start(vertx, source, this, interval);
    return watch;
  }

  /** Stops watching the file, if it was (at shutdown). */
  public synchronized void stopWatching() {
    if (watch != null) {
      watch.stop();
      watch = null;
    }
  }
}
