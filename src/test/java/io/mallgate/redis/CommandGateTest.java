package io.mallgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandGateTest {

  @Test
  void should_keep_the_place_of_a_command_whose_caller_gave_up_until_the_client_answers_it() {
    CommandGate gate = new CommandGate(1);
    Promise<String> stuck = Promise.promise();
    Promise<Void> gaveUp = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    gate.run(() -> {
      started.incrementAndGet();
      return stuck.future();
    }, gaveUp.future());
    Future<String> next = gate.run(() -> {
      started.incrementAndGet();
      return Future.succeededFuture("second");
    }, Promise.<Void>promise().future());

    gaveUp.complete(); // the first caller's deadline passed; its command still holds a pooled connection
    assertEquals(1, started.get(), "a second command would reach a pool that may be full: the deadlock");
    assertFalse(next.isComplete());

    stuck.complete("late");
    assertEquals("second", next.result());
    assertEquals(0, gate.inFlight());
  }

  @Test
  void should_skip_a_waiting_command_whose_caller_gave_up() {
    CommandGate gate = new CommandGate(1);
    Promise<String> first = Promise.promise();
    gate.run(() -> first.future(), Promise.<Void>promise().future());
    Promise<Void> gaveUp = Promise.promise();
    AtomicInteger sent = new AtomicInteger();
    gate.run(() -> {
      sent.incrementAndGet();
      return Future.succeededFuture("never");
    }, gaveUp.future());

    gaveUp.complete();
    first.complete("done");

    assertEquals(0, sent.get());
    assertEquals(0, gate.inFlight());
  }

  @Test
  void should_fail_at_once_when_too_many_commands_wait() {
    CommandGate gate = new CommandGate(1);
    gate.run(() -> Promise.<String>promise().future(), Promise.<Void>promise().future()); // holds the only place
    List<Future<String>> queued = new ArrayList<>();
    for (int i = 0; i < CommandGate.WAITING_PER_PERMIT; i++) {
      queued.add(gate.run(() -> Future.succeededFuture("x"), Promise.<Void>promise().future()));
    }

    Future<String> beyond = gate.run(() -> Future.succeededFuture("x"), Promise.<Void>promise().future());

    assertTrue(beyond.failed());
    assertTrue(queued.stream().noneMatch(Future::isComplete), "the ones within the bound still wait");
  }
}
