/**
 * The gateway's one failure type, {@link io.mallgate.error.GatewayFailure}, its stable codes, and the single place
 * that renders a failure to a caller: Cafe24's error envelope with {@code more_info.gateway_code} plus the
 * {@code X-Mallgate-Error} header, so an internal app needs one error parser and can still tell the gateway's own
 * refusals from Cafe24's.
 */
package io.mallgate.error;
