package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.pulse.api.http.RawConnection;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A flood of half-open connections (connected, then silent or stopped within the request line) from
 * one address does not keep a well-behaved client from its answer. The attack comes from 127.0.0.2,
 * the client from 127.0.0.1; the node runs with its default connection caps, and a header-read
 * timeout longer than the default to leave the checks room on a slow machine.
 */
class H2HalfOpenConnectionsTest {

  private static final int ATTACKING_CONNECTIONS = 2000;
  private static final int PER_CLIENT_CAP = 256;
  private static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(8);
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

  @Test
  void twoThousandHalfOpenConnectionsDoNotKeepAWellBehavedClientFromItsAnswer() throws Exception {
    requireFileDescriptors(2 * ATTACKING_CONNECTIONS + 1024);
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2);
        TestServer server =
            new TestServer(
                database,
                Clock.systemUTC(),
                Map.of("pulse.http.header-read-timeout", HEADER_READ_TIMEOUT.toSeconds() + "s"))) {
      int port = server.port();
      answeredWithin(port, Duration.ofSeconds(10));

      try (HalfOpenAttack attack = HalfOpenAttack.start("127.0.0.2", port, ATTACKING_CONNECTIONS)) {
        // Until every connection is open and the server has done what it does with them; the
        // server before connection limits never gets there, and the client then asks anyway.
        attack.awaitSettled(Duration.ofSeconds(6));

        for (int i = 0; i < 3; i++) {
          Duration took = answeredWithin(port, ANSWER_WITHIN);
          assertTrue(
              took.compareTo(ANSWER_WITHIN) < 0,
              "answered after " + took + " with " + attack.open() + " attacking connections open");
        }
        // The attack still holds what its client may hold, and nothing more (the last refusals of
        // a burst may still be on their way).
        attack.awaitOpenAtMost(PER_CLIENT_CAP, Duration.ofSeconds(1));
        assertEquals(PER_CLIENT_CAP, attack.open());
        String during = server.http().get("/metrics").body();
        assertTrue(sample(during, "pulse_http_connections_open") >= PER_CLIENT_CAP, during);
        try (RawConnection oneMore = RawConnection.open("127.0.0.2", port)) {
          assertTrue(oneMore.awaitClosed(ANSWER_WITHIN).compareTo(ANSWER_WITHIN) < 0);
        }

        attack.awaitAllClosed(HEADER_READ_TIMEOUT.plusSeconds(10));
        List<Duration> lifetimes = attack.lifetimes();
        assertEquals(ATTACKING_CONNECTIONS, lifetimes.size());
        // Beyond the client's cap each connection was closed as soon as it was accepted (the
        // accept queue of the burst is all the wait) ...
        long refused = lifetimes.stream().filter(life -> life.toMillis() < 3000).count();
        assertEquals(ATTACKING_CONNECTIONS - PER_CLIENT_CAP, refused, lifetimes.toString());
        // ... and those within it at the header-read timeout.
        long timedOut =
            lifetimes.stream()
                .filter(life -> life.compareTo(HEADER_READ_TIMEOUT.minusMillis(100)) >= 0)
                .filter(life -> life.compareTo(HEADER_READ_TIMEOUT.plusSeconds(3)) < 0)
                .count();
        assertEquals(PER_CLIENT_CAP, timedOut, lifetimes.toString());
      }

      String after = server.http().get("/metrics").body();
      // the flood beyond the cap, and the one more connection
      assertEquals(
          ATTACKING_CONNECTIONS - PER_CLIENT_CAP + 1,
          sample(
              after, "pulse_http_connections_refused_total{reason=\"max-connections-per-client\"}"),
          0.0);
      assertEquals(
          0, sample(after, "pulse_http_connections_refused_total{reason=\"max-connections\"}"));
      assertEquals(
          PER_CLIENT_CAP,
          sample(after, "pulse_http_connections_timed_out_total{timeout=\"header-read\"}"),
          0.0);
      assertTrue(sample(after, "pulse_http_connections_open") < PER_CLIENT_CAP, after);
    }
  }

  /**
   * One authenticated request on a new connection, as a client that opens one for it; fails if
   * there is no answer within {@code limit}.
   */
  private static Duration answeredWithin(int port, Duration limit) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(limit).build();
    long start = System.nanoTime();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .header("Authorization", "Bearer " + HttpJson.ADMIN_KEY)
                .timeout(limit)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(200, response.statusCode(), response.body());
    return took;
  }

  private static double sample(String metrics, String series) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    if (!line.find()) {
      throw new AssertionError("no " + series + " in /metrics:\n" + metrics);
    }
    return Double.parseDouble(line.group(1));
  }

  /** The attack needs one descriptor per socket on each side: this JVM holds both. */
  private static void requireFileDescriptors(long needed) {
    UnixOperatingSystemMXBean os =
        (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
    assertTrue(
        free >= needed,
        "this test needs "
            + needed
            + " free file descriptors but the JVM has "
            + free
            + " (limit "
            + os.getMaxFileDescriptorCount()
            + "); raise the hard limit (ulimit -Hn)");
  }

  /**
   * Connections that never finish a request: every other one sends part of a request line, the rest
   * nothing. A thread of its own notes when each connection opened and when the server closed it,
   * so that the test can ask for answers meanwhile.
   */
  private static final class HalfOpenAttack implements AutoCloseable {

    private static final byte[] PARTIAL_REQUEST =
        "GET /v1/models HTTP/1.1\r\nHost: 127.0".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final ConcurrentLinkedQueue<Duration> lifetimes = new ConcurrentLinkedQueue<>();
    private final Thread watcher;
    private volatile int connected;
    private final long startedAt = System.nanoTime();
    private volatile long lastEventAt = startedAt;
    private volatile boolean stopped;

    private HalfOpenAttack(Selector selector) {
      this.selector = selector;
      this.watcher = new Thread(this::watch, "half-open-attack");
      watcher.setDaemon(true);
    }

    static HalfOpenAttack start(String from, int port, int count) throws IOException {
      HalfOpenAttack attack = new HalfOpenAttack(Selector.open());
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
      for (int i = 0; i < count; i++) {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress(from, 0));
        attack.channels.add(channel);
        Connection connection = new Connection(i % 2 == 0);
        if (channel.connect(target)) {
          attack.opened(channel, connection);
          channel.register(attack.selector, SelectionKey.OP_READ, connection);
        } else {
          channel.register(attack.selector, SelectionKey.OP_CONNECT, connection);
        }
      }
      attack.watcher.start();
      return attack;
    }

    /**
     * Waits, at most {@code max}, until every connection is open, none has opened or closed for a
     * second, and three seconds have passed since the first: long enough for a server to have taken
     * (and closed) every connection it takes, one at a time.
     */
    void awaitSettled(Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      long quiet = Duration.ofSeconds(1).toNanos();
      long settled = startedAt + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline
          && (connected < channels.size()
              || System.nanoTime() - lastEventAt < quiet
              || System.nanoTime() < settled)) {
        Thread.sleep(10);
      }
    }

    void awaitOpenAtMost(int count, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (open() > count && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }

    void awaitAllClosed(Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (lifetimes.size() < channels.size()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              open() + " attacking connections still open after " + max + "; " + lifetimes);
        }
        Thread.sleep(50);
      }
    }

    int open() {
      return connected - lifetimes.size();
    }

    List<Duration> lifetimes() {
      return List.copyOf(lifetimes);
    }

    private void watch() {
      ByteBuffer sink = ByteBuffer.allocate(1024);
      while (!stopped) {
        try {
          selector.select(10);
          for (SelectionKey key : selector.selectedKeys()) {
            SocketChannel channel = (SocketChannel) key.channel();
            Connection connection = (Connection) key.attachment();
            if (key.isConnectable()) {
              if (channel.finishConnect()) {
                opened(channel, connection);
                key.interestOps(SelectionKey.OP_READ);
              }
            } else if (key.isReadable()) {
              sink.clear();
              if (readClosed(channel, sink)) {
                lastEventAt = System.nanoTime();
                lifetimes.add(Duration.ofNanos(lastEventAt - connection.openedAt));
                key.cancel();
              }
            }
          }
          selector.selectedKeys().clear();
        } catch (IOException e) {
          if (!stopped) {
            throw new IllegalStateException(e);
          }
        }
      }
    }

    private void opened(SocketChannel channel, Connection connection) throws IOException {
      connected++;
      lastEventAt = System.nanoTime();
      if (connection.sendsPartialRequest) {
        channel.write(ByteBuffer.wrap(PARTIAL_REQUEST));
      }
    }

    private static boolean readClosed(SocketChannel channel, ByteBuffer sink) {
      try {
        return channel.read(sink) < 0;
      } catch (IOException reset) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      stopped = true;
      try {
        watcher.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (SocketChannel channel : channels) {
        channel.close();
      }
      selector.close();
    }

    /** What the watcher knows of one connection. */
    private static final class Connection {
      final boolean sendsPartialRequest;

      /** When it began to connect: the server can only have accepted it later. */
      final long openedAt = System.nanoTime();

      Connection(boolean sendsPartialRequest) {
        this.sendsPartialRequest = sendsPartialRequest;
      }
    }
  }
}
