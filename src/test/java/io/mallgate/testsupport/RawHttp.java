package io.mallgate.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as written, for requests an HTTP client library would refuse or "fix": odd paths, ambiguous
 * framing. Blocking, for the test thread only.
 */
public final class RawHttp {

  private RawHttp() {
  }

  /** What came back, and whether the server closed the connection (rather than going quiet). */
  public record Reply(String text, boolean closed) {
  }

  /** Sends {@code request} and returns everything read until the server closes or goes quiet for a second. */
  public static String exchange(int port, String request) {
    return send(port, request).text();
  }

  /** As {@link #exchange}, telling whether the server closed the connection. */
  public static Reply send(int port, String request) {
    return send(port, request, 1_000);
  }

  /**
   * As {@link #send(int, String)}, waiting up to {@code quietMillis} for each read: for a first request to a process
   * that has just started (a cold JVM on a loaded machine may take seconds to answer it).
   */
  public static Reply send(int port, String request, int quietMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(quietMillis);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readAll(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The status code of a raw response, or -1 when there was none. HTTP/1.0 too: a server answers a request line it
   * could not read in the oldest version.
   */
  public static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ") && !response.startsWith("HTTP/1.0 ")) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  /** A GET for {@code path} with a Host header and {@code Connection: close}. */
  public static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  private static Reply readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean closed = false;
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException quiet) {
      // The server kept the connection open: what arrived is the answer.
    } catch (java.net.SocketException reset) {
      closed = true; // a reset is a close too
    }
    return new Reply(bytes.toString(StandardCharsets.ISO_8859_1), closed);
  }
}
