package io.mallgate.refresh;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.token.TokenRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The invariants one interleaving run must keep, checked after it has settled. Each check appends what it found
 * wrong, in words a reader of the trace can follow; an empty list means the run kept them all.
 */
final class RunInvariants {

  private RunInvariants() {
  }

  /**
   * @param end    the stored record after the final refresh
   * @param latest the refresh token Cafe24 issued last for the mall
   * @param reuse  how many times, during the run, Cafe24 was offered a refresh token it had already redeemed
   * @param strict also hold the product to "no avoidable lockout" (see {@link #avoidableLockout})
   */
  static List<String> check(RunTrace trace, Cafe24Simulator simulator, TokenRecord end, String latest, int reuse,
      boolean strict) {
    List<String> found = new ArrayList<>(trace.contractBreaks());
    redeemedAtMostOnce(trace, simulator, latest, found);
    presentedOnceWhenNothingWasUncertain(trace, reuse, found);
    storeVersionsNeverGoBack(trace.storeOps(), found);
    resultsNeverGoBack(trace.results(), found);
    oneContentPerVersion(trace, found);
    storedIsLatestUnlessMarked(trace, end, latest, found);
    marksOnlyDeadTokens(trace, simulator, found);
    if (strict && avoidableLockout(trace, end, latest)) {
      found.add("the mall ends marked although an instance had Cafe24's last issued pair (" + trace.label(latest)
          + ") in hand and discarded it when its compare-and-set found the mark");
    }
    return found;
  }

  /**
   * 5 (reported; asserted only when strict). No avoidable lockout: the mall does not end marked while an instance
   * held Cafe24's last issued pair and threw it away because its compare-and-set found the version moved — by a
   * mark, which a lease that ran out let another instance write meanwhile.
   */
  static boolean avoidableLockout(RunTrace trace, TokenRecord end, String latest) {
    return end != null && end.reauthorizationRequired() && trace.discarded().contains(trace.label(latest));
  }

  /** 1. At most one successful redemption per refresh token, over every token the run saw and the last issued. */
  private static void redeemedAtMostOnce(RunTrace trace, Cafe24Simulator simulator, String latest,
      List<String> found) {
    Map<String, String> tokens = new HashMap<>(trace.tokensByLabel());
    tokens.put(trace.label(latest), latest);
    tokens.forEach((label, token) -> {
      int redemptions = simulator.successfulRedemptions(token);
      if (redemptions > 1) {
        found.add("refresh token " + label + " was redeemed " + redemptions + " times");
      }
    });
  }

  /**
   * 1'. A refresh token is presented again only after Cafe24 answered 5xx (it did not take it) — when every exchange
   * was answered, no lease ran out and no instance was stopped, nothing else can excuse a second presentation, and
   * Cafe24 must have seen no reuse at all.
   */
  private static void presentedOnceWhenNothingWasUncertain(RunTrace trace, int reuse, List<String> found) {
    if (!trace.uncertainty().isEmpty()) {
      return;
    }
    trace.presentations().forEach((rt, each) -> {
      if (each.subList(0, each.size() - 1).stream().anyMatch(answer -> !answer.contains(": http_5"))) {
        found.add(rt + " was presented again after an answer other than 5xx (" + each + ") although every "
            + "exchange was answered and every lease held");
      }
    });
    if (reuse != 0) {
      found.add("Cafe24 saw " + reuse + " reuse(s) of a redeemed refresh token in a run without uncertainty");
    }
  }

  /**
   * 2. Versions never go back: a store operation that started after another one ended sees at least its version; a
   * write lands above everything that ended before it started; no two writes produce the same version.
   */
  private static void storeVersionsNeverGoBack(List<RunTrace.StoreOp> ops, List<String> found) {
    List<RunTrace.StoreOp> byEnd = ops.stream().sorted(Comparator.comparingLong(RunTrace.StoreOp::end)).toList();
    List<RunTrace.StoreOp> byStart = ops.stream().sorted(Comparator.comparingLong(RunTrace.StoreOp::start)).toList();
    int ended = 0;
    RunTrace.StoreOp highest = null;
    for (RunTrace.StoreOp op : byStart) {
      while (ended < byEnd.size() && byEnd.get(ended).end() < op.start()) {
        RunTrace.StoreOp done = byEnd.get(ended++);
        highest = highest == null || done.version() > highest.version() ? done : highest;
      }
      if (highest != null && (op.version() < highest.version() || op.write() && op.version() == highest.version())) {
        found.add(op.who() + " " + op.op() + " gave v" + op.version() + " after " + highest.who() + " "
            + highest.op() + " had already seen v" + highest.version());
      }
    }
    ops.stream().filter(RunTrace.StoreOp::write)
        .collect(Collectors.groupingBy(RunTrace.StoreOp::version, Collectors.counting()))
        .forEach((version, writes) -> {
          if (writes > 1) {
            found.add(writes + " writes produced v" + version);
          }
        });
  }

  /** 2'. Each instance's successful refreshes, in the order they end, never go back, and each is above its seen. */
  private static void resultsNeverGoBack(List<RunTrace.Result> results, List<String> found) {
    Map<String, Long> last = new HashMap<>();
    results.stream().sorted(Comparator.comparingLong(RunTrace.Result::end)).forEach(result -> {
      if (result.version() <= result.seen()) {
        found.add(result.who() + " refresh(seen v" + result.seen() + ") returned v" + result.version()
            + ", which is not newer than what the caller had seen");
      }
      Long before = last.put(result.who(), result.version());
      if (before != null && before > result.version()) {
        found.add(result.who() + " returned v" + result.version() + " after it had returned v" + before);
      }
    });
  }

  /**
   * 2''. One version, one content; and every record a refresh returned is one the store held (write before use).
   */
  private static void oneContentPerVersion(RunTrace trace, List<String> found) {
    Map<Long, String> stored = new HashMap<>();
    for (RunTrace.StoreOp op : trace.storeOps()) {
      String content = op.rt() + (op.marked() ? " marked" : "");
      String other = stored.putIfAbsent(op.version(), content);
      if (other != null && !other.equals(content)) {
        found.add("v" + op.version() + " was read as " + other + " and as " + content);
      }
    }
    for (RunTrace.Result result : trace.results()) {
      String content = result.rt() + (result.marked() ? " marked" : "");
      if (!Objects.equals(stored.get(result.version()), content)) {
        found.add(result.who() + " returned v" + result.version() + " (" + content + ") but the store held "
            + stored.get(result.version()) + " at that version");
      }
    }
  }

  /** 3. In the end the store holds the last refresh token Cafe24 issued, unless the mall is marked. */
  private static void storedIsLatestUnlessMarked(RunTrace trace, TokenRecord end, String latest,
      List<String> found) {
    if (end == null) {
      found.add("the mall's record is gone");
    } else if (!end.reauthorizationRequired() && !end.tokens().refreshToken().equals(latest)) {
      found.add("the store ends with " + trace.label(end.tokens().refreshToken()) + " at v" + end.version()
          + ", unmarked, but Cafe24 last issued " + trace.label(latest) + ": the mall is locked out silently");
    }
  }

  /** 4. No false alarm: a mall is marked only when its stored refresh token really is dead at Cafe24. */
  private static void marksOnlyDeadTokens(RunTrace trace, Cafe24Simulator simulator, List<String> found) {
    Map<String, String> tokens = trace.tokensByLabel();
    trace.storeOps().stream().filter(RunTrace.StoreOp::marked).map(RunTrace.StoreOp::rt).distinct()
        .filter(rt -> simulator.successfulRedemptions(tokens.get(rt)) == 0)
        .forEach(rt -> found.add("the mall was marked for re-authorization while its refresh token " + rt
            + " was still alive at Cafe24"));
  }
}
