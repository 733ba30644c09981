package io.mallgate.token;

import java.util.Locale;

/**
 * What a refusal from Cafe24's token endpoint says, read from its {@code error} and {@code error_description}. Cafe24
 * answers a wrong client secret with the same {@code error} as a dead refresh token ({@code invalid_grant}), so the
 * description decides. Pure and thread-safe.
 *
 * <p>The two mistakes cost very differently. Marking a mall whose refresh token is alive forces its merchant to
 * reinstall the app (or an operator to step in); not marking a mall whose token is dead only costs refresh attempts
 * that Cafe24 refuses again. So only a refusal that <em>names the refresh token</em> is {@link #REFRESH_TOKEN_DEAD};
 * one that names the client is {@link #CLIENT_REJECTED}, and one that names neither — an {@code invalid_grant} with
 * a description we have never seen, or none at all — is {@link #OTHER}, which never marks a mall.
 */
public enum RefusalVerdict {

  /** The refresh token is invalid, expired or already used: only a new install can help this mall. */
  REFRESH_TOKEN_DEAD,
  /**
   * Cafe24 does not accept the gateway's client credentials ({@code cafe24.clientId}, {@code cafe24.clientSecret}):
   * a configuration fault that concerns every mall and is no mall's fault.
   */
  CLIENT_REJECTED,
  /** Neither of the above (a bad authorization code, a malformed request, wording we do not know). */
  OTHER;

  /**
   * Reads a refusal. The client is checked first: a description that names the client is about the credentials even
   * when it mentions the refresh token too (say, a token issued to another client id).
   *
   * @param error       the OAuth {@code error} ({@code invalid_grant}, {@code invalid_client}, …), may be null
   * @param description the {@code error_description}, may be null
   */
  public static RefusalVerdict of(String error, String description) {
    String words = description == null ? "" : description.toLowerCase(Locale.ROOT);
    if ("invalid_client".equals(error) || "unauthorized_client".equals(error) || words.contains("client")) {
      return CLIENT_REJECTED;
    }
    boolean namesRefreshToken = words.contains("refresh_token") || words.contains("refresh token")
        || words.contains("refresh-token");
    return "invalid_grant".equals(error) && namesRefreshToken ? REFRESH_TOKEN_DEAD : OTHER;
  }
}
