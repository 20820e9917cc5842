package io.pulse.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 connection on a plain socket, for tests that need to control its bytes and timing: it
 * can come from any loopback address, send half a request, and tell when the server closed it.
 */
public final class RawConnection implements AutoCloseable {

  /** An answer: status, headers by lower-case name, body (chunks joined), and its chunks. */
  public record Response(
      int status, Map<String, String> headers, String body, List<String> chunks) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** A connection to {@code 127.0.0.1:port} from {@code localAddress} (any of 127/8). */
  public static RawConnection open(String localAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    return new RawConnection(socket);
  }

  public void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Sends {@code GET path} with {@code headers} and reads the answer. */
  public Response get(String path, String... headers) throws IOException {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: pulse\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    send(request.append("\r\n").toString());
    return readResponse();
  }

  public Response readResponse() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    List<String> chunks = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = chunkSize(); size > 0; size = chunkSize()) {
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        chunks.add(chunk);
        body.append(chunk);
        line();
      }
      line();
    } else if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length"));
      byte[] bytes = in.readNBytes(length);
      if (bytes.length < length) {
        throw new IOException("connection closed within the body");
      }
      body.append(new String(bytes, StandardCharsets.UTF_8));
    }
    return new Response(status, headers, body.toString(), chunks);
  }

  /**
   * Waits up to {@code max} for the server to close the connection, and returns how long that took;
   * fails if it stays open or sends anything.
   */
  public Duration awaitClosed(Duration max) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout((int) Math.max(1, max.toMillis()));
    try {
      int read = in.read();
      if (read >= 0) {
        throw new AssertionError("the server sent data instead of closing: " + (char) read);
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the connection is still open after " + max);
    } catch (IOException reset) {
      // a reset closes it as well
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Whether the connection is still open after {@code wait} without anything arriving. */
  public boolean staysOpenFor(Duration wait) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      int read = in.read();
      if (read >= 0) {
        throw new AssertionError("the server sent data: " + (char) read);
      }
      return false;
    } catch (SocketTimeoutException stillOpen) {
      return true;
    } catch (IOException reset) {
      return false;
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  private int chunkSize() throws IOException {
    String size = line();
    int extension = size.indexOf(';');
    return Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      previous = b;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
