package io.mallgate.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
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
  void should_refuse_a_third_call_for_a_mall_when_two_are_in_flight_and_take_nothing() {
    ConcurrencyLimits limits = new ConcurrencyLimits(2, 100);
    limits.enter("shop");
    limits.enter("shop");

    GatewayFailure refused = assertThrows(GatewayFailure.class, () -> limits.enter("shop"));

    assertEquals(ErrorCode.OVERLOADED, refused.code());
    assertEquals(2, limits.inFlight());
    limits.exit("shop");
    limits.enter("shop"); // a place freed is a place taken
    assertEquals(2, limits.inFlight());
  }
}
