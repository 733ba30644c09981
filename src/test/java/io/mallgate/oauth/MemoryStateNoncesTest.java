package io.mallgate.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryStateNoncesTest {

  @Test
  void should_take_a_nonce_once_when_claimed_twice() {
    MemoryStateNonces nonces = new MemoryStateNonces();
    assertTrue(nonces.claim("n1", Duration.ofMinutes(10)).result());
    assertFalse(nonces.claim("n1", Duration.ofMinutes(10)).result());
    assertTrue(nonces.claim("n2", Duration.ofMinutes(10)).result());
  }

  @Test
  void should_forget_a_nonce_when_its_state_has_expired() {
    MemoryStateNonces nonces = new MemoryStateNonces();
    assertTrue(nonces.claim("n1", Duration.ZERO).result());
    assertTrue(nonces.claim("n1", Duration.ofMinutes(10)).result());
  }

  @Test
  void should_stay_bounded_and_keep_the_newest_when_flooded() {
    MemoryStateNonces nonces = new MemoryStateNonces();
    for (int i = 0; i <= MemoryStateNonces.MAX_USED; i++) {
      nonces.claim("n" + i, Duration.ofMinutes(10));
    }
    assertEquals(MemoryStateNonces.MAX_USED, nonces.size());
    assertFalse(nonces.claim("n" + MemoryStateNonces.MAX_USED, Duration.ofMinutes(10)).result());
  }
}
