package io.mallgate.alert;

import io.mallgate.token.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builds the alert of each condition: the words operators read and the facts machines read. Nothing here ever sees a
 * token: only mall ids, durations, reasons the gateway wrote itself, and the public install URL. Thread-safe.
 */
final class AlertTexts {

  static final String REFRESH_TOKEN_EXPIRING = "refresh_token_expiring";
  static final String REAUTHORIZATION_REQUIRED = "reauthorization_required";
  static final String CIRCUIT_OPEN = "circuit_open";
  static final String WEBHOOK_UNVERIFIED = "webhook_unverified";
  static final String CLIENT_REJECTED = "token_endpoint_rejects_client";

  private final UnaryOperator<String> installUrl;

  /** @param installUrl the gateway's install URL for a mall */
  AlertTexts(UnaryOperator<String> installUrl) {
    this.installUrl = installUrl;
  }

  /** {@code threshold}: the smallest configured threshold above {@code left}, which also tells alerts apart. */
  Alert expiring(String mall, Duration left, Duration threshold, String reason, Instant now) {
    String url = installUrl.apply(mall);
    String summary = "Mall " + mall + ": its Cafe24 refresh token " + (left.isNegative() ? "has lapsed"
        : "lapses in " + human(left)) + " and the keep-alive could not renew it (" + reason + "). Once it lapses the "
        + "merchant must install the app again at " + url;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("refreshTokenSecondsLeft", left.toSeconds());
    details.put("threshold", human(threshold));
    details.put("reason", reason);
    details.put("installUrl", url);
    return new Alert(REFRESH_TOKEN_EXPIRING, mall, human(threshold), summary, details, now);
  }

  /** One alert per mark: its time tells two moves to {@code reauthorization_required} apart. */
  Alert reauthorization(String mall, TokenRecord.Reauthorization mark, Instant now) {
    String url = installUrl.apply(mall);
    String summary = "Mall " + mall + " needs re-authorization (" + mark.reason() + ": " + mark.detail() + "). Its "
        + "calls get 401 until the merchant installs the app again at " + url;
    return new Alert(REAUTHORIZATION_REQUIRED, mall, Long.toString(mark.at().toEpochMilli()), summary,
        Map.of("reason", mark.reason(), "installUrl", url), now);
  }

  Alert circuitOpen(String mall, Duration sickFor, Instant now) {
    String summary = "Mall " + mall + ": Cafe24 has kept failing for " + human(sickFor) + "; its calls are paused "
        + "(503 circuit_open) on at least one instance, with a probe now and then.";
    return new Alert(CIRCUIT_OPEN, mall, "", summary, Map.of("openSeconds", sickFor.toSeconds()), now);
  }

  Alert webhookFailures(long failures, Duration window, Instant now) {
    String summary = failures + " webhook(s) failed verification within " + human(window) + " on one instance "
        + "(403 webhook_unverified): check webhook.apiKeys (CAFE24_WEBHOOK_API_KEY) against the app's WebHook auth key "
        + "in the Cafe24 Developer Center, or someone is probing /webhook.";
    return new Alert(WEBHOOK_UNVERIFIED, "", "", summary,
        Map.of("failures", failures, "windowSeconds", window.toSeconds()), now);
  }

  /**
   * Gateway-wide, one per window: every instance of a misconfigured cluster sees the same refusal, and operators need
   * to hear of it once. {@code words}: Cafe24's own description, already cleared of credentials.
   */
  Alert clientRejected(String cause, String words, Instant now) {
    String summary = cause + (words == null ? "" : " (Cafe24 said: " + words + ")") + ". Malls whose access token "
        + "has expired get 503 cafe24_client_rejected until Cafe24 accepts the client again; no mall is marked, so "
        + "no merchant needs to reinstall once the configuration is fixed.";
    return new Alert(CLIENT_REJECTED, "", "", summary, words == null ? Map.of() : Map.of("cafe24Said", words), now);
  }

  /** {@code 2d 23h}, {@code 5h 10m}, {@code 12m}, {@code 40s}: two units at most, enough to act on. */
  static String human(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    if (days > 0) {
      return days + "d" + (hours > 0 ? " " + hours + "h" : "");
    }
    if (hours > 0) {
      return hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
    }
    return minutes > 0 ? minutes + "m" : seconds + "s";
  }
}
