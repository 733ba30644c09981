package io.mallgate.sandbox;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** The token and revoke endpoints' client check: {@code Authorization: Basic base64(client_id:client_secret)}. */
final class ClientAuthentication {

  private static final String SCHEME = "Basic ";

  private final byte[] expected;

  ClientAuthentication(String clientId, String clientSecret) {
    this.expected = (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Passes when the request carries the app's credentials.
   *
   * @throws OAuthRejection 401 {@code invalid_client} when they are missing, malformed or wrong
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
      throw OAuthRejection.invalidClient();
    }
  }
}
