package io.mallgate.alert;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing operators must hear of.
 *
 * @param condition  a stable word: {@code refresh_token_expiring}, {@code reauthorization_required},
 *                   {@code circuit_open}, {@code webhook_unverified} or {@code token_endpoint_rejects_client}
 * @param mall       the mall concerned, or {@code ""} for the gateway as a whole
 * @param occurrence what tells two alerts of one condition apart within the window ({@code ""}: nothing; the
 *                   threshold crossed; the time of a mark), part of the de-duplication key
 * @param summary    one or two sentences for a human, safe to show anywhere (never a token or secret)
 * @param details    machine-readable facts (time left in seconds, reason, install URL), values safe to show
 * @param at         when it was raised
 */
public record Alert(String condition, String mall, String occurrence, String summary, Map<String, Object> details,
    Instant at) {

  public Alert {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(mall, "mall");
    Objects.requireNonNull(occurrence, "occurrence");
    Objects.requireNonNull(summary, "summary");
    details = Map.copyOf(details);
    Objects.requireNonNull(at, "at");
  }
}
