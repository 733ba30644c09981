package io.mallgate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The {@code app} label's values: the first {@code metrics.maxApps} names, then {@code other}; none is {@code -}. */
class AppLabelsTest {

  @Test
  void should_keep_the_first_names_and_fold_later_ones_into_other_when_max_apps_is_reached() {
    AppLabels labels = new AppLabels(2);

    assertEquals("orders", labels.of("orders"));
    assertEquals("billing", labels.of("billing"));
    assertEquals("other", labels.of("reports"));
    assertEquals("orders", labels.of("orders"), "a labelled name keeps its value");
    assertEquals("other", labels.of("reports"), "a folded name stays folded");
  }

  @Test
  void should_answer_a_dash_when_the_call_named_no_app_or_was_no_call() {
    AppLabels labels = new AppLabels(1);

    assertEquals("-", labels.of("-"));
    assertEquals("-", labels.of(null));
    assertEquals("orders", labels.of("orders"), "the dash took no place");
  }
}
