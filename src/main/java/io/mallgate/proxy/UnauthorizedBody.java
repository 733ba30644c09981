package io.mallgate.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.Pipe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.Locale;

/**
 * A 401 from Cafe24, read far enough to tell whether it names the access token — the only 401 a refresh can cure.
 * Cafe24 says {@code access_token time expired. (invalid_token)} or {@code Invalid access_token} in its envelope
 * {@code {"error":{"code":401,"message":"…"}}}; a 401 for an unknown client or a Front API call without a client id
 * says something else, and goes back to the caller untouched.
 *
 * <p>At most {@link #MAX_BYTES} are read (plus one network chunk): a body that is bigger is no Cafe24 error envelope,
 * and what was read of it is relayed first, then the rest is piped. A 401 that goes back to the caller is kept on its
 * call ({@link ProxyCall#keep}) for the relay to write. Runs on the request's event loop.
 */
final class UnauthorizedBody {

  /** Cafe24's 401 envelopes are a few dozen bytes; anything beyond this is relayed without being understood. */
  static final int MAX_BYTES = 4096;

  private final Buffer head;
  private final boolean whole;

  private UnauthorizedBody(Buffer head, boolean whole) {
    this.head = head;
    this.whole = whole;
  }

  /**
   * Reads the (paused) response's body, up to {@link #MAX_BYTES}. The response stays paused where reading stopped
   * when the body is bigger (or announces a bigger {@code Content-Length}, then nothing is read).
   */
  static Future<UnauthorizedBody> read(HttpClientResponse response) {
    if (tooBig(response.getHeader(HttpHeaders.CONTENT_LENGTH))) {
      return Future.succeededFuture(new UnauthorizedBody(Buffer.buffer(), false));
    }
    Promise<UnauthorizedBody> read = Promise.promise();
    Buffer head = Buffer.buffer();
    response.handler(chunk -> {
      head.appendBuffer(chunk);
      if (head.length() > MAX_BYTES) {
        response.pause();
        read.tryComplete(new UnauthorizedBody(head, false));
      }
    });
    response.endHandler(end -> read.tryComplete(new UnauthorizedBody(head, true)));
    // Broken off before its end: Cafe24's connection failed, as a broken answer would in the relay.
    response.exceptionHandler(failure -> read.tryFail(UpstreamFailures.toGatewayFailure(failure)));
    response.resume();
    return read.future();
  }

  private static boolean tooBig(String contentLength) {
    if (contentLength == null) {
      return false;
    }
    try {
      return Long.parseLong(contentLength.strip()) > MAX_BYTES;
    } catch (NumberFormatException e) {
      return true; // not ours to understand: relay it as it comes
    }
  }

  /** Whether this 401 names the access token, by its body or a {@code WWW-Authenticate: … error="invalid_token"}. */
  boolean namesAccessToken(HttpClientResponse response) {
    return namesAccessToken(whole ? head : null, response.getHeader("WWW-Authenticate"));
  }

  /**
   * The decision itself, pure: {@code body} is the whole 401 body or {@code null} when it was too big to read.
   * Only words that name the access token count; an unreadable body or other words do not.
   */
  static boolean namesAccessToken(Buffer body, String wwwAuthenticate) {
    if (wwwAuthenticate != null && wwwAuthenticate.toLowerCase(Locale.ROOT).contains("invalid_token")) {
      return true;
    }
    String words = words(body);
    if (words == null) {
      return false;
    }
    String lower = words.toLowerCase(Locale.ROOT);
    return lower.contains("access_token") || lower.contains("access token") || lower.contains("invalid_token");
  }

  /** Cafe24's {@code error.message}, or an OAuth-style {@code error} and {@code error_description}; else null. */
  private static String words(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      JsonObject json = body.toJsonObject();
      Object error = json.getValue("error");
      if (error instanceof JsonObject envelope) {
        return envelope.getValue("message") instanceof String message ? message : null;
      }
      String description = json.getValue("error_description") instanceof String d ? d : "";
      return error instanceof String code ? code + " " + description : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** Drops what is left of the body (nothing when it was read whole), so the connection goes back to the pool. */
  Future<Void> discard(HttpClientResponse response) {
    if (whole) {
      return Future.succeededFuture();
    }
    response.handler(chunk -> { });
    response.resume();
    return response.end();
  }

  /** Writes the bytes read, then pipes the rest; like the plain relay, never ends a body that broke off. */
  Future<Void> relay(HttpClientResponse upstream, WriteStream<Buffer> response) {
    if (whole) {
      return response.end(head);
    }
    // The pipe first: it takes the (paused) stream's handlers at once, so nothing that happens to it is missed.
    Pipe<Buffer> rest = upstream.pipe().endOnFailure(false);
    response.write(head);
    return rest.to(response).onFailure(failure -> upstream.request().connection().close());
  }
}
