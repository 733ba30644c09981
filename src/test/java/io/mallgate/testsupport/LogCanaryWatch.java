package io.mallgate.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose log lines (every level: {@code io.mallgate} logs at DEBUG in tests) hold any of the
 * {@link Canaries}: a secret from the test config, or any code or token a simulator issued while the class ran.
 * Registered for every class by service loading, like {@link EventLoopWatch}; together they scan the whole suite.
 *
 * <p>Issued values are unique 32-character base64url strings, so each line's runs of such characters are looked up in
 * a set (a substring search of thousands of tokens over every line would be too slow); the few fixed secrets are
 * searched as substrings.
 */
public final class LogCanaryWatch implements BeforeAllCallback, AfterAllCallback {

  private static final Pattern RUN = Pattern.compile("[A-Za-z0-9_-]{8,}");
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LogCanaryWatch.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Canaries.drain(); // what an earlier class left behind is not this class's
    context.getStore(NAMESPACE).put("from", TestLog.mark());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    List<String> leaks = leaks(TestLog.linesSince(context.getStore(NAMESPACE).getOrDefault("from", Long.class, 0L)),
        Canaries.drain());
    if (!leaks.isEmpty()) {
      throw new AssertionError("a secret reached the log while " + context.getDisplayName() + " ran (values "
          + "masked):\n" + String.join("\n", leaks.subList(0, Math.min(10, leaks.size()))));
    }
  }

  /** The lines holding a canary, each with the canary masked (the report must not spread it further). */
  static List<String> leaks(List<String> lines, Set<String> issued) {
    List<String> leaks = new ArrayList<>();
    for (String line : lines) {
      String found = find(line, issued);
      if (found != null) {
        leaks.add(line.replace(found, "<canary:" + found.length() + " chars>"));
      }
    }
    return leaks;
  }

  private static String find(String line, Set<String> issued) {
    for (String secret : Canaries.fixed()) {
      if (line.contains(secret)) {
        return secret;
      }
    }
    Matcher run = RUN.matcher(line);
    while (run.find()) {
      String candidate = run.group();
      for (int start = 0; start + 32 <= candidate.length(); start++) {
        String window = candidate.substring(start, start + 32);
        if (issued.contains(window)) {
          return window;
        }
      }
      if (issued.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
