package io.mallgate.edge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class EdgeGuardTest {

  @Test
  void should_accept_plain_framing_when_headers_are_unambiguous() {
    assertTrue(EdgeGuard.framingSafe(HttpHeaders.headers()));
    assertTrue(EdgeGuard.framingSafe(HttpHeaders.headers().add("Content-Length", "42")));
    assertTrue(EdgeGuard.framingSafe(HttpHeaders.headers().add("Transfer-Encoding", "chunked")));
  }

  @Test
  void should_refuse_framing_when_it_invites_smuggling() {
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Transfer-Encoding", "gzip, chunked")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Transfer-Encoding", "chunked, identity")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Transfer-Encoding", "identity")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Transfer-Encoding", "chunked")
        .add("Transfer-Encoding", "chunked")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Transfer-Encoding", "chunked")
        .add("Content-Length", "5")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Content-Length", "5").add("Content-Length", "5")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Content-Length", "5, 5")));
    assertFalse(EdgeGuard.framingSafe(HttpHeaders.headers().add("Content-Length", "-1")));
  }
}
