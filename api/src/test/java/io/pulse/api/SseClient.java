package io.pulse.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client on a plain socket, for tests: it can stop reading (so that the
 * server's writes back up), and its receive buffer can be made small.
 */
final class SseClient implements AutoCloseable {

  /** One event: its {@code id:}, {@code event:} and {@code data:} fields. */
  record Event(String id, String type, String data) {
    long offset() {
      return Long.parseLong(id);
    }
  }

  private final Socket socket;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final Object gate = new Object();
  private final Thread reader;
  private volatile boolean paused;
  private volatile boolean ended;
  private volatile String statusLine = "";
  private volatile String headers = "";

  /**
   * Connects to {@code pathAndQuery}, with {@code lastEventId} when not null; {@code receiveBuffer}
   * bytes of socket buffer when positive; reading nothing until {@link #resume()} when {@code
   * paused}.
   */
  SseClient(int port, String pathAndQuery, String lastEventId, int receiveBuffer, boolean paused)
      throws IOException {
    this(port, pathAndQuery, lastEventId, receiveBuffer, paused, HttpJson.ADMIN_KEY);
  }

  /** As above, authenticated with {@code key} (none when null). */
  SseClient(
      int port,
      String pathAndQuery,
      String lastEventId,
      int receiveBuffer,
      boolean paused,
      String key)
      throws IOException {
    this.socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    this.paused = paused;
    String request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nAccept: text/event-stream\r\n"
            + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
            + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
            + "\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    this.reader = new Thread(this::read, "sse-client-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient connect(int port, String pathAndQuery) throws IOException {
    return new SseClient(port, pathAndQuery, null, 0, false);
  }

  /** A client of {@code pathAndQuery} that authenticates with {@code key}. */
  static SseClient connect(int port, String pathAndQuery, String key) throws IOException {
    return new SseClient(port, pathAndQuery, null, 0, false, key);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  List<Event> transitions() {
    return events.stream().filter(event -> event.type().equals("transition")).toList();
  }

  int comments() {
    return comments.get();
  }

  boolean ended() {
    return ended;
  }

  String statusLine() {
    return statusLine;
  }

  String headers() {
    return headers;
  }

  void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  /** Waits until the events received satisfy {@code condition}. */
  void await(String what, Predicate<List<Event>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(events())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for " + what + "; got " + events.size() + " events: " + tail());
      }
      sleep(10);
    }
  }

  void awaitTransitions(int count, Duration timeout) {
    await(count + " transitions", received -> transitions().size() >= count, timeout);
  }

  void awaitEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the stream did not end; last events: " + tail());
      }
      sleep(10);
    }
  }

  private String tail() {
    List<Event> all = events();
    return all.subList(Math.max(0, all.size() - 3), all.size()).toString();
  }

  private void read() {
    try (InputStream in = socket.getInputStream()) {
      ChunkedReader body = new ChunkedReader(in);
      statusLine = body.line();
      StringBuilder headerLines = new StringBuilder();
      for (String line = body.line(); !line.isEmpty(); line = body.line()) {
        headerLines.append(line).append('\n');
      }
      headers = headerLines.toString();
      if (!statusLine.contains(" 200 ")) {
        return;
      }
      parseEvents(body);
    } catch (IOException closed) {
      // the test closed the client, or the server closed the connection
    } finally {
      ended = true;
    }
  }

  private void parseEvents(ChunkedReader body) throws IOException {
    String id = null;
    String type = "message";
    StringBuilder data = null;
    while (true) {
      waitWhilePaused();
      String line = body.chunkedLine();
      if (line == null) {
        return;
      }
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(id, type, data.toString()));
        }
        type = "message";
        data = null;
      } else if (line.startsWith(":")) {
        comments.incrementAndGet();
      } else {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> type = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {}
        }
      }
    }
  }

  private void waitWhilePaused() {
    synchronized (gate) {
      while (paused) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Lines of the head, then lines of a chunked body. */
  private static final class ChunkedReader {
    private final InputStream in;
    private int remainingInChunk;
    private boolean lastChunk;

    ChunkedReader(InputStream in) {
      this.in = in;
    }

    /** A CRLF-terminated line read straight from the socket. */
    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int previous = -1;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (previous == '\r' && b == '\n') {
          byte[] bytes = line.toByteArray();
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
        }
        line.write(b);
        previous = b;
      }
    }

    /** A LF-terminated line of the de-chunked body, or null at its end. */
    String chunkedLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b = bodyByte();
        if (b < 0) {
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
        if (b == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
      }
    }

    private int bodyByte() throws IOException {
      if (lastChunk) {
        return -1;
      }
      if (remainingInChunk == 0) {
        String size = line();
        if (size.isEmpty()) {
          size = line();
        }
        int extension = size.indexOf(';');
        remainingInChunk =
            Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
        if (remainingInChunk == 0) {
          lastChunk = true;
          return -1;
        }
      }
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in a chunk");
      }
      remainingInChunk--;
      return b;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
