package io.mallgate.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback for fault tests: it listens on {@code 127.0.0.1} on a free port and relays every
 * connection to one target (the simulated Cafe24, a Redis), doing to the bytes what the current {@link Fault} says.
 * Put it between the gateway and what the gateway talks to, and switch faults while requests run.
 *
 * <p>{@link #set} changes the fault of every open connection and of the next ones; {@link #forNext} gives the next
 * few connections a fault of their own (e.g. refuse one, then pass); {@link #clear} heals everything: held bytes
 * flow on. {@link #unplug} and {@link #plugIn} stop and resume listening, for the kernel's own connection refusal.
 * Built on Vert.x's {@code NetServer}/{@code NetClient} with back-pressured pipes; it never blocks an event loop.
 * Thread-safe: the controls may be called from the test thread.
 */
public final class FaultProxy implements AutoCloseable {

  private final Vertx vertx;
  private final SocketAddress target;
  private final NetClient connector;
  private final Set<ProxiedConnection> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Fault> next = new ConcurrentLinkedQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private volatile Fault standing = Fault.none();
  private volatile NetServer server;
  private volatile int port;

  private FaultProxy(Vertx vertx, SocketAddress target) {
    this.vertx = vertx;
    this.target = target;
    this.connector = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
  }

  /** A proxy to {@code host:port}, listening once the Future completes. */
  public static Future<FaultProxy> start(Vertx vertx, String host, int port) {
    FaultProxy proxy = new FaultProxy(vertx, SocketAddress.inetSocketAddress(port, host));
    return proxy.listen(0).map(proxy);
  }

  private Future<Void> listen(int on) {
    return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(on).setTcpNoDelay(true))
        .connectHandler(this::accept)
        .listen()
        .map(listening -> {
          server = listening;
          port = listening.actualPort();
          return null;
        });
  }

  /** The port it listens on; it stays the same across {@link #unplug()} and {@link #plugIn()}. */
  public int port() {
    return port;
  }

  /**
   * Stops listening, so that connecting gets the kernel's own refusal (RST to the SYN, {@code ECONNREFUSED}): nothing
   * is accepted, so nothing can have been sent. Open connections stay. Blocks the calling (test) thread.
   */
  public FaultProxy unplug() {
    NetServer listening = server;
    server = null;
    if (listening != null) {
      Await.result(listening.close());
    }
    return this;
  }

  /** Listens again on the same port after {@link #unplug()}. Blocks the calling (test) thread. */
  public FaultProxy plugIn() {
    if (server == null) {
      Await.result(listen(port));
    }
    return this;
  }

  /** The fault of every open connection from now on, and of new ones (unless {@link #forNext} says otherwise). */
  public FaultProxy set(Fault fault) {
    standing = fault;
    open.forEach(connection -> connection.apply(fault));
    return this;
  }

  /** Passes everything again; bytes a black hole or a latency held go on, in order. */
  public FaultProxy clear() {
    return set(Fault.none());
  }

  /** The next {@code connections} accepted connections get {@code fault}; later ones the standing fault. */
  public FaultProxy forNext(int connections, Fault fault) {
    for (int i = 0; i < connections; i++) {
      next.add(fault);
    }
    return this;
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Connections closed so far, by either side or by a fault. */
  public int closedConnections() {
    return closed.get();
  }

  /** Connections open right now (accepted, not yet closed on either side). */
  public int openConnections() {
    return open.size();
  }

  private void accept(NetSocket client) {
    accepted.incrementAndGet();
    Fault own = next.poll();
    ProxiedConnection[] connection = new ProxiedConnection[1];
    connection[0] = new ProxiedConnection(vertx, client, () -> {
      open.remove(connection[0]);
      closed.incrementAndGet();
    });
    // Registered before it starts: a refused connection closes at once and must find itself to leave.
    open.add(connection[0]);
    connection[0].start(connector, target, own == null ? standing : own);
  }

  /** Stops listening and cuts every open connection. Blocks the calling (test) thread until done. */
  @Override
  public void close() {
    NetServer listening = server;
    open.forEach(connection -> connection.apply(Fault.refuse()));
    Future<Void> stopped = listening == null ? Future.succeededFuture() : listening.close();
    Await.result(stopped.compose(closed -> connector.close()).recover(failure -> Future.succeededFuture()));
  }
}
