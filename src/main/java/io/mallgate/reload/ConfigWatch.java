package io.mallgate.reload;

import io.mallgate.config.ConfigException;
import io.mallgate.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads one gateway's configuration from its file: on demand ({@link #reload}, what SIGHUP calls) and when the file
 * changes. A change is seen by a timer every {@code interval} that hashes the file on a worker thread (no watch
 * service thread; a config file is a few KB) and reloads once the same new content was seen twice in a row, so an
 * editor's half-written file is not taken for the new configuration.
 *
 * <p>Each reload reads and validates the whole file on a worker thread, then hands it to {@link LiveConfig#apply}. An
 * unreadable or invalid file is rejected: a WARN line lists every problem by key path (never a secret's value: the
 * loader's problems never quote one) and nothing changes. Reloads run one at a time, in order of request; all of this
 * object's state is confined to the context it was started on. A secret file behind {@code ${file:...}} is read
 * again at every reload, but only a change of the configuration file itself starts one: send SIGHUP after rotating.
 */
public final class ConfigWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);
  private static final String MISSING = "missing";

  private final Vertx vertx;
  private final Context context;
  private final ConfigSource source;
  private final LiveConfig live;
  private final Duration interval;
  private Future<ReloadOutcome> last = Future.succeededFuture();
  private String seen;
  private String pending;
  private long timer = -1;
  private boolean stopped;

  private ConfigWatch(Vertx vertx, ConfigSource source, LiveConfig live, Duration interval) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.source = source;
    this.live = live;
    this.interval = interval;
  }

  /** Starts watching: the file's content now is the baseline a change is measured against. */
  static ConfigWatch start(Vertx vertx, ConfigSource source, LiveConfig live, Duration interval) {
    ConfigWatch watch = new ConfigWatch(vertx, source, live, interval);
    watch.context.runOnContext(v -> watch.fingerprint().onComplete(first -> {
      watch.seen = first.succeeded() ? first.result() : MISSING;
      watch.schedule();
    }));
    return watch;
  }

  /**
   * Reads, validates and applies the file now; may be called from any thread (a signal handler's too).
   *
   * @param trigger what asked for it, for the log ({@code SIGHUP}, {@code file change})
   * @return the outcome; failed with a {@link ConfigException} when the file was rejected
   */
  public Future<ReloadOutcome> reload(String trigger) {
    Promise<ReloadOutcome> done = Promise.promise();
    context.runOnContext(v -> {
      // Chained on the previous one: two reloads never interleave, and the later request wins.
      last = last.transform(previous -> attempt(trigger));
      last.onComplete(done);
    });
    return done.future();
  }

  /** Stops the file checks; a reload in progress still completes. */
  public void stop() {
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
    });
  }

  private Future<ReloadOutcome> attempt(String trigger) {
    LOG.info("config reload ({}): reading {}", trigger, source.file());
    return context.<GatewayConfig>executeBlocking(source::load)
        .map(live::apply)
        .onFailure(failure -> {
          live.counters().countRejected();
          LOG.warn("config reload rejected, the running configuration stays: {}", problems(failure));
        });
  }

  private static String problems(Throwable failure) {
    List<String> problems = failure instanceof ConfigException invalid ? invalid.problems()
        : List.of(failure.getClass().getSimpleName()); // unexpected: its message might quote a value
    return String.join("; ", problems);
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(interval.toMillis(), t -> fingerprint().onComplete(outcome -> {
        check(outcome.succeeded() ? outcome.result() : MISSING);
        schedule();
      }));
    }
  }

  private void check(String now) {
    if (Objects.equals(now, seen)) {
      pending = null;
    } else if (Objects.equals(now, pending)) {
      seen = now;
      pending = null;
      reload("file change");
    } else {
      pending = now; // changed since the last check: wait one more, in case it is still being written
    }
  }

  private Future<String> fingerprint() {
    return context.executeBlocking(() -> {
      try {
        byte[] content = Files.readAllBytes(source.file());
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      } catch (IOException | NoSuchAlgorithmException e) {
        return MISSING; // a missing file is a change too: its reload is rejected, naming the reason
      }
    });
  }
}
