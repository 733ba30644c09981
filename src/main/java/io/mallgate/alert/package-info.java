/**
 * Alerts: operators hear of a mall in trouble before a merchant does. Four conditions raise one — a refresh token
 * close to lapsing that the keep-alive could not renew, a mall moved to {@code reauthorization_required} (dead refresh
 * token, app deleted or expired), a circuit open for long, and repeated webhook verification failures — and each is
 * sent at most once per mall per condition per {@code alerts.window}, across every instance (a Redis
 * {@code SET NX PX} claim; in memory for the embedded store). Sinks: a WARN log line, a generic JSON webhook and
 * Slack's incoming-webhook format; HTTP deliveries go through a bounded queue per sink with retries and backoff, off
 * every request's path. Alert text names the mall, the condition, the time left or the reason and the install URL;
 * never a token, and never a sink URL (those are credentials).
 */
package io.mallgate.alert;
