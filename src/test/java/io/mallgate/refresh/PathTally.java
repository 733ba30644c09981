package io.mallgate.refresh;

import java.util.Map;
import java.util.TreeMap;

/**
 * How often each path of the refresh protocol ran over many interleaving runs, so the summary shows that the runs
 * explore the interesting interleavings and not just the happy one: per path, how many times it ran in total and in
 * how many runs. Thread-safe.
 */
final class PathTally {

  private final Map<String, long[]> counts = new TreeMap<>();
  private int runs;

  synchronized void add(Map<String, Integer> paths) {
    runs++;
    paths.forEach((path, times) -> {
      long[] count = counts.computeIfAbsent(path, p -> new long[2]);
      count[0] += times;
      count[1]++;
    });
  }

  /** In how many runs {@code path} ran at least once. */
  synchronized long runsWith(String path) {
    long[] count = counts.get(path);
    return count == null ? 0 : count[1];
  }

  /** In how many runs any path starting with {@code prefix} ran. */
  synchronized long runsWithAny(String prefix) {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue()[1]).max().orElse(0);
  }

  synchronized int runs() {
    return runs;
  }

  /** One line: {@code path=times/runs} for every path, grouped by their first word. */
  synchronized String line() {
    StringBuilder line = new StringBuilder();
    String group = "";
    for (Map.Entry<String, long[]> entry : counts.entrySet()) {
      String path = entry.getKey();
      int dot = path.indexOf('.');
      String prefix = dot < 0 ? path : path.substring(0, dot);
      line.append(prefix.equals(group) ? " " : (line.length() == 0 ? "" : " | ") + prefix + ": ");
      group = prefix;
      line.append(dot < 0 ? path : path.substring(dot + 1)).append('=').append(entry.getValue()[0]);
      if (entry.getValue()[0] != entry.getValue()[1]) {
        line.append('/').append(entry.getValue()[1]).append("r");
      }
    }
    return line.toString();
  }
}
