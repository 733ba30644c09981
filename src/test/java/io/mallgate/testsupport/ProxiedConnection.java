package io.mallgate.testsupport;

import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/**
 * One client connection accepted by a {@link FaultProxy} and its own connection to the target, joined by two pipes
 * through {@link FaultyStream}s. Confined to the event loop that accepted it; {@link #apply} may be called from any
 * thread and hops there. Closing either side closes the other.
 */
final class ProxiedConnection {

  private final Vertx vertx;
  private final Context context;
  private final NetSocket client;
  private final Runnable onClosed;
  private NetSocket upstream;
  private FaultyStream toTarget;
  private FaultyStream toClient;
  private boolean closed;

  /** Runs on the event loop that accepted {@code client}: that loop becomes the connection's. */
  ProxiedConnection(Vertx vertx, NetSocket client, Runnable onClosed) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.onClosed = onClosed;
  }

  /**
   * Takes over the just-accepted client: cuts it at once for {@link Fault.Refuse}, otherwise connects to
   * {@code target} and starts relaying under {@code fault}. Runs on the accepting event loop.
   */
  void start(NetClient connector, SocketAddress target, Fault fault) {
    // Nothing is read until both ends are joined: the pipe resumes the socket.
    client.pause();
    client.closeHandler(gone -> close());
    client.exceptionHandler(failure -> close());
    if (fault instanceof Fault.Refuse) {
      reset();
      return;
    }
    connector.connect(target).onComplete(connected -> {
      if (connected.failed() || closed) {
        if (connected.succeeded()) {
          connected.result().close();
        }
        reset();
        return;
      }
      join(connected.result(), fault);
    });
  }

  private void join(NetSocket target, Fault fault) {
    upstream = target;
    upstream.closeHandler(gone -> close());
    upstream.exceptionHandler(failure -> close());
    toTarget = new FaultyStream(vertx, upstream, true, fault, this::reset);
    toClient = new FaultyStream(vertx, client, false, fault, this::reset);
    client.pipeTo(toTarget);
    upstream.pipeTo(toClient);
  }

  /** Switches this connection to {@code fault}; a refusal cuts it. Any thread. */
  void apply(Fault fault) {
    context.runOnContext(now -> {
      if (closed) {
        return;
      }
      if (fault instanceof Fault.Refuse) {
        reset();
      } else if (toTarget != null) {
        toTarget.apply(fault);
        toClient.apply(fault);
      }
    });
  }

  /** Cuts both sides with a TCP RST (SO_LINGER 0), as a crashed peer or a middlebox would. On the event loop. */
  void reset() {
    cut(client);
    if (upstream != null) {
      cut(upstream);
    }
    close();
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    if (upstream != null) {
      upstream.close();
    }
    onClosed.run();
  }

  private static void cut(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      // Linger 0 makes close() send RST instead of FIN; without access to the channel a plain close has to do.
      internal.channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }
    socket.close();
  }
}
