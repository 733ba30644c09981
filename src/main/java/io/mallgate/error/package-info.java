/**
 * The gateway's one failure type, {@link io.mallgate.error.GatewayFailure}, and its stable codes
 * ({@link io.mallgate.error.ErrorCode}). A leaf: it depends on no other package of the gateway, so every feature may
 * raise a failure. Failures are rendered once, at the edge ({@code edge.FailureRenderer}): Cafe24's error envelope with
 * {@code more_info.gateway_code} plus the {@code X-Mallgate-Error} header.
 */
package io.mallgate.error;
