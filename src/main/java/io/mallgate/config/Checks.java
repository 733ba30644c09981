package io.mallgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Value checks shared by the sections: each returns a problem message, or {@code null} when the value is fine.
 * Checks used on secrets never put the value into their message.
 */
final class Checks {

  static final Pattern MALL_ID = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");
  static final List<String> REDIS_TYPES = List.of("standalone", "sentinel", "cluster");
  static final int ADMIN_TOKEN_MIN_LENGTH = 16;

  private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private Checks() {
  }

  static String notEmpty(String value) {
    return value.isEmpty() ? "must not be empty" : null;
  }

  /**
   * Secret-safe. The client id goes into header values ({@code X-Cafe24-Client-Id}) and is the user part of HTTP
   * Basic credentials, where a ':' would end it: visible ASCII, no ':'.
   */
  static String clientId(String value) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    return visibleAscii(value) && value.indexOf(':') < 0 ? null
        : "must be visible ASCII characters without spaces or ':' (as the Developer Center shows it)";
  }

  /** Secret-safe: empty for none, else visible ASCII, as the Developer Center shows it. */
  static String frontApiKey(String value) {
    return value.isEmpty() || visibleAscii(value) ? null
        : "must be empty or visible ASCII characters without spaces (as the Developer Center shows it)";
  }

  private static boolean visibleAscii(String value) {
    return value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  /** Secret-safe: Redis URLs carry the password. */
  static String redisUrl(String value) {
    return value.isEmpty() || value.startsWith("redis://") || value.startsWith("rediss://") ? null
        : "must start with redis:// or rediss://";
  }

  /** Secret-safe. */
  static String redisEndpoint(String value) {
    return value.isEmpty() ? "must not be empty" : redisUrl(value);
  }

  static String redisType(String value) {
    return REDIS_TYPES.contains(value) ? null
        : "must be one of " + String.join(", ", REDIS_TYPES) + ", got " + Problems.quote(value);
  }

  /** Secret-safe. */
  static String adminToken(String value) {
    return value.isEmpty() || value.length() >= ADMIN_TOKEN_MIN_LENGTH ? null
        : "must be empty (admin API off) or at least " + ADMIN_TOKEN_MIN_LENGTH + " characters long";
  }

  /** Secret-safe. An HMAC key: empty (derived from the client secret) or long enough to be one. */
  static String stateKey(String value) {
    return value.isEmpty() || value.length() >= 32 ? null
        : "must be empty (derived from cafe24.clientSecret) or at least 32 characters long";
  }

  static String mallId(String value) {
    return MALL_ID.matcher(value).matches() ? null
        : "not a valid mall id " + Problems.quote(value)
            + " (1 to 63 lowercase letters, digits or '-', not starting or ending with '-')";
  }

  /** Scopes are joined with commas in the authorize URL, so one item must be exactly one scope name. */
  static String scope(String value) {
    if (value.isBlank()) {
      return "must not be blank";
    }
    return value.chars().anyMatch(c -> c == ',' || Character.isWhitespace(c))
        ? "must be one scope name without spaces or commas, got " + Problems.quote(value) : null;
  }

  static String apiVersion(String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      if (API_VERSION.matcher(value).matches()) {
        LocalDate.parse(value);
        return null;
      }
    } catch (DateTimeParseException e) {
      // falls through: shaped like a date but no such day
    }
    return "must be empty or a date yyyy-mm-dd, got " + Problems.quote(value);
  }

  /** The OAuth redirect URI: absolute http(s) with a host, and no fragment (RFC 6749, section 3.1.2). */
  static String redirectUri(String value) {
    String problem = "must be an absolute http:// or https:// URL, got " + Problems.quote(value);
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        return problem;
      }
      return uri.getRawFragment() == null ? null : "must not have a fragment (#...), got " + Problems.quote(value);
    } catch (URISyntaxException e) {
      return problem;
    }
  }

  /**
   * Secret-safe (the message never shows the URL): empty (tracing off), or an absolute http:// or https:// URL with a
   * host, without a fragment and without {@code user:password@}, which the exporter would not send.
   */
  static String otlpEndpoint(String value) {
    if (value.isEmpty()) {
      return null;
    }
    String problem = "must be empty (tracing off) or an absolute http:// or https:// URL, such as "
        + "http://otel-collector:4318/v1/traces";
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawFragment() != null) {
        return problem;
      }
      return uri.getRawUserInfo() == null ? null
          : "must not carry user:password@: the exporter sends no credentials from the URL (reach the collector "
              + "on your network, or through a local agent)";
    } catch (URISyntaxException e) {
      return problem;
    }
  }

  static String accessLogOutput(String value) {
    return value.equals("stdout") || value.equals("logger") || value.equals("off") ? null
        : "must be stdout, logger or off, got " + Problems.quote(value);
  }

  static String logFormat(String value) {
    return value.equals("plain") || value.equals("json") ? null : "must be plain or json, got " + Problems.quote(value);
  }

  static String encryption(String value) {
    return value.equals("aes-gcm") || value.equals("none") ? null
        : "must be aes-gcm or none, got " + Problems.quote(value);
  }

  /** Secret-safe: {@code <id>:<base64 of 32 bytes>}; the message never shows the key. Empty items are skipped. */
  static String encryptionKey(String value) {
    if (value.isEmpty()) {
      return null;
    }
    int colon = value.indexOf(':');
    if (colon < 1 || colon > 16 || !value.substring(0, colon).matches("[A-Za-z0-9_-]+")) {
      return "must be <id>:<base64 key>, the id 1-16 letters, digits, '_' or '-' "
          + "(make one with 'java -jar target/mallgate.jar --generate-key')";
    }
    try {
      if (java.util.Base64.getDecoder().decode(value.substring(colon + 1)).length == 32) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    return "key '" + value.substring(0, colon) + "' must be the base64 of exactly 32 random bytes (AES-256)";
  }

  static String httpStatus(String value) {
    try {
      int status = Integer.parseInt(value);
      if (status == 401 || status == 429) {
        return "401 and 429 never count as failures (they belong to the refresh and rate paths), got " + value;
      }
      return status >= 400 && status <= 599 ? null : "must be an HTTP error status 400..599, got " + Problems.quote(value);
    } catch (NumberFormatException e) {
      return "must be an HTTP status number, got " + Problems.quote(value);
    }
  }

  /**
   * A method the proxy may forward: an upper-case HTTP token, and never TRACE (Cafe24 would echo the request, bearer
   * token included, to the caller) or CONNECT (a tunnel with the mall's token).
   */
  static String forwardedMethod(String value) {
    if (value.equals("TRACE") || value.equals("CONNECT")) {
      return "must not be TRACE or CONNECT: they would hand the mall's token to the caller";
    }
    return value.matches("[A-Z]{1,20}") ? null : "must be an upper-case HTTP method, got " + Problems.quote(value);
  }

  /** Only methods HTTP defines as idempotent may be retried: a POST is never sent twice. */
  static String idempotentMethod(String value) {
    return List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE").contains(value) ? null
        : "must be an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE), got " + Problems.quote(value);
  }
}
