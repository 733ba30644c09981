package io.mallgate.keepalive;

import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the malls the keep-alive must refresh: every stored mall, read a page at a time (a bounded number of store
 * reads in flight, however many malls there are), whose refresh token expires before {@code now + refreshWhenLeft}
 * and which is not marked {@code reauthorization_required}. A mall whose read fails is skipped this round (logged):
 * the next scan comes well before its token could lapse. Stateless apart from its configuration; thread-safe.
 */
final class DueMalls {

  /** Store reads in flight at once during a scan. */
  static final int PAGE = 50;
  private static final Logger LOG = LoggerFactory.getLogger(DueMalls.class);

  private final TokenStore store;
  private final Duration refreshWhenLeft;

  DueMalls(TokenStore store, Duration refreshWhenLeft) {
    this.store = store;
    this.refreshWhenLeft = refreshWhenLeft;
  }

  /**
   * A mall to refresh, as the scan saw it.
   *
   * @param version              the version read: the refresh redeems only if nobody wrote a newer one since
   * @param refreshTokenExpiresAt when the mall's refresh token lapses
   */
  record Due(String mall, long version, Instant refreshTokenExpiresAt) {
  }

  /**
   * What a scan found: how many malls there are, the due ones (most urgent first), the soonest refresh-token expiry
   * among the unmarked malls ({@code null} when there is none), and how many malls are marked
   * {@code reauthorization_required}.
   */
  record Found(int malls, List<Due> due, Instant soonest, int marked) {
  }

  Future<Found> find(Instant now) {
    Instant[] soonest = {null};
    int[] marked = {0};
    return store.malls().compose(malls -> page(malls, 0, now, new ArrayList<>(), soonest, marked)
        .map(due -> {
          due.sort(Comparator.comparing(Due::refreshTokenExpiresAt));
          return new Found(malls.size(), due, soonest[0], marked[0]);
        }));
  }

  private Future<List<Due>> page(List<String> malls, int from, Instant now, List<Due> due, Instant[] soonest,
      int[] marked) {
    if (from >= malls.size()) {
      return Future.succeededFuture(due);
    }
    List<String> page = malls.subList(from, Math.min(malls.size(), from + PAGE));
    List<Future<TokenRecord>> reads = page.stream().map(store::get).toList();
    return Future.join(reads).transform(all -> {
      for (int i = 0; i < reads.size(); i++) {
        Future<TokenRecord> read = reads.get(i);
        if (read.failed()) {
          LOG.warn("keep-alive could not read mall {}: skipped this round", page.get(i));
        } else if (read.result() != null && read.result().reauthorizationRequired()) {
          marked[0]++;
        } else if (read.result() != null && !read.result().reauthorizationRequired()) {
          Instant expiresAt = read.result().tokens().refreshTokenExpiresAt();
          soonest[0] = soonest[0] == null || expiresAt.isBefore(soonest[0]) ? expiresAt : soonest[0];
          if (isDue(read.result(), now)) {
            due.add(new Due(read.result().mall(), read.result().version(), expiresAt));
          }
        }
      }
      return page(malls, from + PAGE, now, due, soonest, marked);
    });
  }

  private boolean isDue(TokenRecord record, Instant now) {
    return record != null && !record.reauthorizationRequired()
        && record.tokens().refreshTokenExpiresAt().isBefore(now.plus(refreshWhenLeft));
  }
}
