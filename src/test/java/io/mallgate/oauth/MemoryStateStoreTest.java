package io.mallgate.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryStateStoreTest {

  @Test
  void should_forget_the_oldest_state_instead_of_refusing_when_full() {
    MemoryStateStore store = new MemoryStateStore();
    for (int i = 0; i <= MemoryStateStore.MAX_PENDING; i++) {
      store.put("s" + i, "mall" + i, Duration.ofMinutes(10)).result();
    }
    assertEquals(MemoryStateStore.MAX_PENDING, store.size());
    assertNull(store.take("s0").result(), "the oldest made room");
    assertEquals("mall" + MemoryStateStore.MAX_PENDING, store.take("s" + MemoryStateStore.MAX_PENDING).result());
  }

  @Test
  void should_take_a_state_once_when_it_is_fresh() {
    MemoryStateStore store = new MemoryStateStore();
    store.put("s", "demo", Duration.ofMinutes(1)).result();
    assertEquals("demo", store.take("s").result());
    assertNull(store.take("s").result());
  }

  @Test
  void should_refuse_a_state_when_it_expired() {
    MemoryStateStore store = new MemoryStateStore();
    store.put("s", "demo", Duration.ofNanos(1)).result();
    store.put("t", "demo", Duration.ofMinutes(1)).result(); // time passes for "s"
    assertNull(store.take("s").result());
  }
}
