package io.mallgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upstream of {@code bench/stream.sh}, standing in for Cafe24 at any path: a request with a body is read to its
 * end and thrown away, no faster than {@code --read-rate} bytes per second (a slow reader, so the gateway must hold
 * the caller back rather than buffer), then answered {@code {"received":N}}; a {@code GET ...?bytes=N} is answered
 * with N zero bytes ({@code Content-Length} set), written as fast as the connection takes them, with back-pressure.
 * Neither keeps what it moves. Checks no token. Event loop only: the pace is kept with timers.
 *
 * <p>Arguments: {@code --port N} and optionally {@code --read-rate BYTES} (0, the default: as fast as it comes).
 */
public final class StreamUpstream {

  private static final int CHUNK = 64 * 1024;
  private static final byte[] ZEROS = new byte[CHUNK];

  private final Vertx vertx;
  private final long readRate;

  private StreamUpstream(Vertx vertx, long readRate) {
    this.vertx = vertx;
    this.readRate = readRate;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Vertx vertx = Vertx.vertx();
    StreamUpstream upstream = new StreamUpstream(vertx, Long.parseLong(options.getOrDefault("read-rate", "0")));
    int port = Integer.parseInt(options.get("port"));
    // Only the main thread waits, for the port to be bound; Vert.x's threads keep the process alive after.
    vertx.createHttpServer().requestHandler(upstream::handle).listen(port, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("stream upstream listening on 127.0.0.1:" + port + ", read rate " + upstream.readRate
        + " B/s (0: unlimited)");
  }

  private void handle(HttpServerRequest request) {
    String bytes = request.getParam("bytes");
    if (request.method() == HttpMethod.GET && bytes != null) {
      serve(request.response(), Long.parseLong(bytes));
    } else {
      discard(request);
    }
  }

  /** Reads the body to its end at no more than the read rate, keeping nothing. */
  private void discard(HttpServerRequest request) {
    long start = System.nanoTime();
    long[] received = {0};
    request.handler(chunk -> {
      received[0] += chunk.length();
      if (readRate > 0) {
        long due = TimeUnit.SECONDS.toNanos(received[0]) / readRate;
        long ahead = TimeUnit.NANOSECONDS.toMillis(due - (System.nanoTime() - start));
        if (ahead > 1) {
          request.pause();
          vertx.setTimer(ahead, timer -> request.resume());
        }
      }
    });
    request.endHandler(end -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end("{\"received\":" + received[0] + "}"));
  }

  /** Writes {@code total} zero bytes, waiting for the connection to drain whenever its queue is full. */
  private void serve(HttpServerResponse response, long total) {
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(total));
    write(response, total);
  }

  private void write(HttpServerResponse response, long left) {
    long remaining = left;
    while (remaining > 0 && !response.writeQueueFull()) {
      int size = (int) Math.min(CHUNK, remaining);
      response.write(Buffer.buffer(size).appendBytes(ZEROS, 0, size));
      remaining -= size;
    }
    if (remaining == 0) {
      response.end();
      return;
    }
    long rest = remaining;
    response.drainHandler(drained -> write(response, rest));
  }
}
