package io.mallgate.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitsTest {

  @Test
  void should_forget_a_mall_when_its_last_call_ends() {
    ConcurrencyLimits limits = new ConcurrencyLimits(2, 100);
    for (int i = 0; i < 1_000; i++) {
      limits.enter("mall-" + i);
      limits.exit("mall-" + i);
    }
    assertEquals(0, limits.mallsInFlight(), "any number of mall ids passing must not grow the map");
    assertEquals(0, limits.inFlight());
  }

  @Test
  void should_refuse_a_third_call_for_a_mall_with_429_when_two_are_in_flight_and_take_nothing() {
    ConcurrencyLimits limits = new ConcurrencyLimits(2, 100);
    limits.enter("shop");
    limits.enter("shop");

    GatewayFailure refused = assertThrows(GatewayFailure.class, () -> limits.enter("shop"));

    assertEquals(ErrorCode.RATE_LIMITED, refused.code(), "a mall called too hard: Cafe24's own answer");
    assertEquals(429, refused.status());
    assertEquals("1", refused.headers().get("Retry-After"), "nothing knows the mall's rate: the least wait");
    assertEquals(2, limits.inFlight());
    limits.exit("shop");
    limits.enter("shop"); // a place freed is a place taken
    assertEquals(2, limits.inFlight());
  }

  @Test
  void should_say_how_long_the_malls_calls_in_flight_take_when_refusing_over_the_malls_bound() {
    Map<String, Integer> asked = new java.util.HashMap<>();
    ConcurrencyLimits limits = new ConcurrencyLimits(3, 100, (mall, calls) -> {
      asked.put(mall, calls);
      return 4_200; // e.g. the calls ahead, paced and then drained
    });
    for (int i = 0; i < 3; i++) {
      limits.enter("shop");
    }

    GatewayFailure refused = assertThrows(GatewayFailure.class, () -> limits.enter("shop"));

    assertEquals("5", refused.headers().get("Retry-After"), "4.2 s, rounded up to whole seconds");
    assertEquals(Map.of("shop", 3), asked, "the estimate is for the mall's calls in flight");
  }

  @Test
  void should_answer_503_overloaded_with_retry_after_1_when_the_gateways_bound_is_reached() {
    ConcurrencyLimits limits = new ConcurrencyLimits(2, 2, (mall, calls) -> 60_000);
    limits.enter("one");
    limits.enter("two");

    GatewayFailure refused = assertThrows(GatewayFailure.class, () -> limits.enter("three"));

    assertEquals(ErrorCode.OVERLOADED, refused.code(), "the gateway is full, not the mall");
    assertEquals(503, refused.status());
    assertEquals("1", refused.headers().get("Retry-After"));
    assertEquals(2, limits.inFlight());
  }

  /**
   * Four threads (as event loops would) enter and leave the same few malls at once, each mall often dropping to no
   * call and being forgotten while another thread enters it: no mall ever has more than its bound in flight, no place
   * is lost or counted twice, and the map ends empty.
   */
  @Test
  void should_keep_each_malls_bound_and_forget_it_when_threads_race_on_its_last_call() throws Exception {
    int perMall = 2;
    ConcurrencyLimits limits = new ConcurrencyLimits(perMall, 1_000);
    String[] malls = {"a", "b", "c"};
    ConcurrentHashMap<String, AtomicInteger> held = new ConcurrentHashMap<>();
    AtomicInteger overBound = new AtomicInteger();
    Runnable worker = () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < 200_000; i++) {
        String mall = malls[random.nextInt(malls.length)];
        try {
          limits.enter(mall);
        } catch (GatewayFailure full) {
          continue; // four threads, two places a mall: refusals are expected
        }
        AtomicInteger mine = held.computeIfAbsent(mall, key -> new AtomicInteger());
        if (mine.incrementAndGet() > perMall) {
          overBound.incrementAndGet();
        }
        mine.decrementAndGet();
        limits.exit(mall);
      }
    };
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(worker);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(0, overBound.get(), "a mall never holds more than its bound");
    assertEquals(0, limits.inFlight(), "every place taken was given back");
    assertEquals(0, limits.mallsInFlight(), "every mall was forgotten after its last call");
    for (String mall : malls) {
      limits.enter(mall);
      limits.enter(mall); // both places are free again: none was lost
    }
  }
}
