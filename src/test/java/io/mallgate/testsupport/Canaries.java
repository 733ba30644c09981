package io.mallgate.testsupport;

import io.mallgate.sandbox.Cafe24Simulator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values that must never reach a log line: the test config's secrets, every code and token the simulators of
 * the running test class issued, and whatever a test adds (an OAuth {@code state} it saw, a webhook secret). Tests
 * register what they create; {@link LogCanaryWatch} scans each class's log lines for all of them. Thread-safe.
 */
public final class Canaries {

  /** The secrets every test config carries (see {@link TestConfig}). */
  private static final Set<String> FIXED = Set.of(TestConfig.CLIENT_SECRET, TestConfig.ADMIN_TOKEN,
      TestConfig.TOKEN_KEY.substring(TestConfig.TOKEN_KEY.indexOf(':') + 1), TestConfig.FRONT_API_KEY,
      TestConfig.WEBHOOK_API_KEY,
      // The key also travels base64-encoded inside the Basic value: a logged header would not show it in clear.
      TestConfig.FRONT_BASIC.substring("Basic ".length()));

  private static final Set<Cafe24Simulator> SIMULATORS = ConcurrentHashMap.newKeySet();
  private static final Set<String> ADDED = ConcurrentHashMap.newKeySet();

  private Canaries() {
  }

  /** Everything {@code simulator} issues from now on is a canary for the running class. */
  public static Cafe24Simulator watch(Cafe24Simulator simulator) {
    SIMULATORS.add(simulator);
    return simulator;
  }

  /** A secret value a test saw or made, e.g. an OAuth {@code state}; shorter than 8 characters is refused. */
  public static void add(String secret) {
    if (secret == null || secret.length() < 8) {
      throw new IllegalArgumentException("a canary must be at least 8 characters, or it matches by chance");
    }
    ADDED.add(secret);
  }

  /**
   * Every canary known now — the fixed secrets, the values added, everything the watched simulators issued — without
   * forgetting any: for a test that searches its own output (exported spans, a response) rather than the log.
   */
  public static Set<String> current() {
    Set<String> values = new HashSet<>(FIXED);
    values.addAll(ADDED);
    SIMULATORS.forEach(simulator -> values.addAll(simulator.issuedSecrets()));
    return values;
  }

  /** The fixed secrets: checked with a substring search. */
  static Set<String> fixed() {
    return FIXED;
  }

  /** The issued and added values, then forgets them: the next class starts with none. */
  static Set<String> drain() {
    Set<String> values = new HashSet<>(ADDED);
    SIMULATORS.forEach(simulator -> values.addAll(simulator.issuedSecrets()));
    SIMULATORS.clear();
    ADDED.clear();
    return values;
  }
}
