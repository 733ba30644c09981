package io.mallgate.sandbox;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The token and revoke endpoints' client check: {@code Authorization: Basic base64(client_id:client_secret)}.
 *
 * <p>Answers as Cafe24 is seen to: a known client id with a wrong secret gets 400 {@code invalid_grant}
 * {@code "Invalid client_secret"} — the same {@code error} as a dead refresh token, which is exactly what makes a
 * careless client mark every mall dead. Credentials that are missing, malformed or name another client get 401
 * {@code invalid_client}.
 */
final class ClientAuthentication {

  private static final String SCHEME = "Basic ";

  private final byte[] expected;
  private final byte[] expectedId;

  ClientAuthentication(String clientId, String clientSecret) {
    this.expected = (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8);
    this.expectedId = (clientId + ":").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Passes when the request carries the app's credentials.
   *
   * @throws OAuthRejection 400 {@code invalid_grant "Invalid client_secret"} for the app's client id with another
   *                        secret; 401 {@code invalid_client} when the credentials are missing, malformed or another's
   */
  void require(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw OAuthRejection.invalidClient();
    }
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(header.substring(SCHEME.length()).trim());
    } catch (IllegalArgumentException malformed) {
      throw OAuthRejection.invalidClient();
    }
    // Constant-time, so the simulator does not teach anyone a timing-leaky comparison by example.
    if (!MessageDigest.isEqual(presented, expected)) {
      throw startsWith(presented, expectedId) ? OAuthRejection.invalidClientSecret() : OAuthRejection.invalidClient();
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && MessageDigest.isEqual(java.util.Arrays.copyOf(bytes, prefix.length), prefix);
  }
}
