package io.mallgate.proxy;

import io.mallgate.proxy.CoalesceCounters.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One GET's call to Cafe24 that identical GETs may wait on ({@link Coalescing}): made by the first of them, the
 * leader, whose request runs the whole chain; the others {@link #join} it and get its outcome.
 *
 * <p>Threads: waiters join from any event loop, under this object's lock; everything else runs on the leader's
 * event loop — the relay's {@link #share}, the kept body, and the ends ({@link #failed}, {@link #release}, the
 * answer) — and is the only writer of {@code finished}. Waiters hear the outcome through a Promise and carry on on
 * their own loops.
 *
 * <p>Memory: the body is kept only while someone waits (the relay's head finds a call nobody joined: it streams as
 * any other, with no copy), up to {@code proxy.coalesceMaxBody}, and counts against the instance's body memory until
 * the last waiter has written it.
 *
 * <p>An answer that says it depends on request headers the key does not hold ({@code Vary}) is not shared: the
 * waiters make their own calls, as for one too large.
 */
final class SharedCall {

  private static final AtomicIntegerFieldUpdater<SharedCall> WRITING =
      AtomicIntegerFieldUpdater.newUpdater(SharedCall.class, "writing");

  private final Coalescing owner;
  private final CoalesceKey key;
  /** Guarded by this: more may join while it is not finished. */
  private boolean finished;
  private int waiters;
  private Promise<SharedAnswer> outcome;
  // The leader's loop only: the answer as it comes in; body null when none is kept.
  private int status;
  private MultiMap headers;
  private String gatewayCode;
  private Buffer body;
  private long reserved;
  /** The declared length was reserved whole when the head came. */
  private boolean reservedAhead;
  /** Waiters still writing the answer; the last gives its memory back. */
  private volatile int writing;

  SharedCall(Coalescing owner, CoalesceKey key) {
    this.owner = owner;
    this.key = key;
  }

  CoalesceKey key() {
    return key;
  }

  /** Waits on this call: its outcome, or {@code null} when it no longer takes waiters. Any thread. */
  synchronized Future<SharedAnswer> join() {
    if (finished) {
      return null;
    }
    waiters++;
    if (outcome == null) {
      outcome = Promise.promise();
    }
    owner.counters().joined();
    return outcome.future();
  }

  /**
   * Cafe24's head is in: the relay writes the body to what this returns. Nobody waiting: the call ends here for
   * coalescing, and the body goes straight to the leader's {@code response}. Else a stream that also keeps the body,
   * unless Cafe24 announces it too large.
   */
  WriteStream<Buffer> share(HttpClientResponse upstream, HttpServerResponse response, HeaderPolicy policy) {
    if (endedUnjoined()) {
      return response;
    }
    if (CoalesceKey.variesBeyondKey(upstream.headers().getAll(HttpHeaders.VARY))) {
      owner.rememberUnshared(key); // an answer chosen by headers the key does not hold is not everybody's
      release(Outcome.VARIES);
      return response;
    }
    long declared = declaredLength(upstream.getHeader(HttpHeaders.CONTENT_LENGTH));
    if (declared > owner.maxBody() || declared > 0 && !reserve(declared)) {
      tooLarge(declared > owner.maxBody());
      return response;
    }
    reservedAhead = declared >= 0;
    status = upstream.statusCode();
    headers = HttpHeaders.headers();
    policy.copyDownstream(upstream.headers(), headers);
    gatewayCode = response.headers().get(HeaderPolicy.MALLGATE_ERROR);
    body = declared > 0 ? Buffer.buffer((int) declared) : Buffer.buffer();
    return new Tee(response);
  }

  /** Ends the call here when nobody has joined it (or it has ended already): true then. */
  private boolean endedUnjoined() {
    synchronized (this) {
      if (waiters == 0) {
        finished = true;
      }
    }
    if (finished) {
      owner.ended(this, Outcome.SERVED, 0);
    }
    return finished;
  }

  /**
   * The leader's call failed ({@code failure} as the gateway renders it): every waiter fails with it, as its own.
   * When the leader's caller went away instead, nothing was wrong with the call: the waiters are released. Leader's
   * loop; nothing once the call has ended.
   */
  void failed(Throwable failure, boolean leaderLeft) {
    if (leaderLeft) {
      release(Outcome.LEADER_LEFT);
      return;
    }
    if (finished) {
      return;
    }
    dropBody();
    Promise<SharedAnswer> waiting = finish(Outcome.FAILED);
    if (waiting != null) {
      waiting.fail(failure);
    }
  }

  /** Ends the call for its waiters without an answer: each goes its own way. Leader's loop; once. */
  void release(Outcome why) {
    if (finished) {
      return;
    }
    dropBody();
    Promise<SharedAnswer> waiting = finish(why);
    if (waiting != null) {
      waiting.complete(SharedAnswer.RELEASED);
    }
  }

  /** A waiter has written the answer (or had nobody to write it to). Any thread. */
  void delivered() {
    if (WRITING.decrementAndGet(this) == 0) {
      owner.memory().release(reserved);
    }
  }

  /** The whole body is in: every waiter gets the answer. */
  private void answered() {
    if (finished || body == null) {
      return;
    }
    SharedAnswer answer = new SharedAnswer(status, headers, gatewayCode, body, this);
    body = null;
    Promise<SharedAnswer> waiting = finish(Outcome.SERVED);
    // Before anyone can write it: a waiter on this loop writes it within complete().
    WRITING.set(this, waiters);
    waiting.complete(answer);
  }

  /**
   * Keeps a chunk for the waiters, while the answer stays within the bound and the memory: a declared length was
   * taken from the memory whole, ahead; else each chunk takes its own.
   */
  private void keep(Buffer chunk) {
    if (body == null || finished) {
      return;
    }
    if (body.length() + chunk.length() > owner.maxBody()) {
      tooLarge(true);
    } else if (!reservedAhead && !reserve(chunk.length())) {
      tooLarge(false);
    } else {
      body.appendBuffer(chunk); // a copy: the chunk's buffer goes back to Netty once written
    }
  }

  /** Takes {@code bytes} of the instance's body memory; false when it holds too much already. */
  private boolean reserve(long bytes) {
    if (!owner.memory().reserve(bytes)) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  /**
   * Too large to keep: the waiters make their own calls. When it was the size (not the instance's memory, full for
   * now), the key is remembered a while, before the waiters are released: they must not form a new group for it.
   */
  private void tooLarge(boolean bySize) {
    if (bySize) {
      owner.rememberUnshared(key);
    }
    release(Outcome.TOO_LARGE);
  }

  private void dropBody() {
    body = null;
    owner.memory().release(reserved);
    reserved = 0;
  }

  /** Takes no more waiters and forgets the key; the waiters' Promise, or {@code null} when none joined. */
  private Promise<SharedAnswer> finish(Outcome why) {
    Promise<SharedAnswer> waiting;
    int count;
    synchronized (this) {
      finished = true;
      waiting = outcome;
      count = waiters;
    }
    owner.ended(this, why, count);
    return waiting;
  }

  private static long declaredLength(String contentLength) {
    if (contentLength == null) {
      return -1;
    }
    try {
      return Long.parseLong(contentLength.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // not ours to understand: not kept
    }
  }

  /**
   * The leader's response, with the body kept on the way. While it is kept, the leader's caller does not set the
   * pace ({@link #writeQueueFull} is false): waiters must not wait on one slow reader, and what its connection holds
   * meanwhile is bounded by {@code proxy.coalesceMaxBody} too. Once nothing is kept, back-pressure is the response's
   * again.
   */
  private final class Tee implements WriteStream<Buffer> {

    private final HttpServerResponse response;

    Tee(HttpServerResponse response) {
      this.response = response;
    }

    @Override
    public Future<Void> write(Buffer chunk) {
      keep(chunk);
      return response.write(chunk);
    }

    @Override
    public Future<Void> end() {
      answered();
      return response.end();
    }

    @Override
    public Future<Void> end(Buffer chunk) {
      keep(chunk);
      answered();
      return response.end(chunk);
    }

    @Override
    public boolean writeQueueFull() {
      return body == null && response.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      response.drainHandler(handler);
      return this;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      response.exceptionHandler(handler);
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      response.setWriteQueueMaxSize(maxSize);
      return this;
    }
  }
}
