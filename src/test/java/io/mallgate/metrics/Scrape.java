package io.mallgate.metrics;

import java.util.Arrays;

/** One {@code /metrics} body in Prometheus' text format, read the way a test needs it. */
record Scrape(String body) {

  /**
   * The value of the sample named {@code name} that carries every label given as {@code key=value}; 0 when there is
   * none (Micrometer creates a labelled counter on its first increment).
   */
  double value(String name, String... labels) {
    return body.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> Arrays.stream(labels).allMatch(label -> hasLabel(line, label)))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static boolean hasLabel(String line, String label) {
    int eq = label.indexOf('=');
    String pair = label.substring(0, eq) + "=\"" + label.substring(eq + 1) + "\"";
    int open = line.indexOf('{');
    int close = line.lastIndexOf('}');
    return open >= 0 && close > open && ("," + line.substring(open + 1, close) + ",").contains("," + pair + ",");
  }
}
