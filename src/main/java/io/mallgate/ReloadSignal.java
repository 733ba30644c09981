package io.mallgate;

import io.mallgate.reload.ConfigWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What SIGHUP does: reload the configuration file ({@link ConfigWatch#reload}), the Unix convention for daemons.
 * Without a file (built-in defaults) there is nothing to reload, and SIGHUP is logged and ignored rather than left to
 * the JVM, whose default would stop the gateway. See {@link Termination} for why {@code sun.misc.Signal}.
 */
final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {
  }

  /**
   * Installs a SIGHUP handler for the start-up, before anything listens: the JVM's default would stop a gateway whose
   * port already answers but whose reload is not wired yet (a supervisor's HUP, or a test's, can land there). The file
   * is being read as the gateway starts, so there is nothing to reload yet; {@link #install} replaces this handler.
   */
  static void installForStartUp() {
    Signal.handle(new Signal("HUP"), signal ->
        LOG.info("SIGHUP received while the gateway starts: the configuration is being read now; nothing to reload"));
  }

  /**
   * Installs the SIGHUP handler. The handler runs on a thread the JVM starts per signal; it only hands the reload to
   * the watch's Vert.x context and returns, and the watch logs the outcome.
   *
   * @param watch the gateway's watch, or {@code null} when it runs without a configuration file
   */
  static void install(ConfigWatch watch) {
    Signal.handle(new Signal("HUP"), signal -> {
      if (watch == null) {
        LOG.warn("SIGHUP received, but the gateway runs on built-in defaults: no configuration file to reload");
        return;
      }
      LOG.info("SIGHUP received: reloading the configuration");
      watch.reload("SIGHUP"); // its outcome is logged and counted by the watch
    });
  }
}
