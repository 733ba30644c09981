package io.mallgate.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md lists every {@link ErrorCode} (public contract: apps branch on it) with the status it is answered
 * with, and nothing that is not one.
 */
class ErrorCodeDocsTest {

  private static final Path ERRORS = Path.of("docs", "errors.md");
  /** A row of the table: {@code | 414, 431 | `invalid_request` | when |}. */
  private static final Pattern ROW = Pattern.compile("^\\| ([0-9, ]+) \\| `([a-z0-9_]+)` \\|");

  @Test
  void should_list_every_code_with_its_status_when_reading_the_error_page() throws IOException {
    Map<String, Set<Integer>> documented = documented();
    List<String> problems = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      Set<Integer> statuses = documented.get(code.code());
      if (statuses == null || !statuses.contains(code.status())) {
        problems.add(code.code() + " (" + code.status() + "): not listed with its status in " + ERRORS);
      }
    }
    Set<String> known = new HashSet<>();
    Arrays.stream(ErrorCode.values()).forEach(code -> known.add(code.code()));
    documented.keySet().stream().filter(code -> !known.contains(code))
        .forEach(code -> problems.add(code + ": listed in " + ERRORS + " but not an ErrorCode"));
    assertEquals(List.of(), problems);
  }

  /** Each code of the table with the statuses its rows give. */
  private static Map<String, Set<Integer>> documented() throws IOException {
    Map<String, Set<Integer>> codes = new HashMap<>();
    for (String line : Files.readAllLines(ERRORS)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        Set<Integer> statuses = codes.computeIfAbsent(row.group(2), code -> new HashSet<>());
        Arrays.stream(row.group(1).split(",")).map(String::strip).map(Integer::valueOf).forEach(statuses::add);
      }
    }
    return codes;
  }
}
