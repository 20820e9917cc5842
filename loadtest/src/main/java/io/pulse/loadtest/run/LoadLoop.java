package io.pulse.loadtest.run;

import io.pulse.loadtest.gen.EventGenerator;
import io.pulse.loadtest.gen.JsonBuffer;
import io.pulse.loadtest.http.AckParser;
import io.pulse.loadtest.http.ApiKeys;
import io.pulse.loadtest.http.HttpProtocolException;
import io.pulse.loadtest.http.HttpResponseParser;
import io.pulse.loadtest.http.RequestHeads;
import io.pulse.loadtest.report.LoadReport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * One I/O thread: a selector that drives its share of the connections (HTTP/1.1 keep-alive, one
 * request at a time per connection) and, in the open model, its share of the schedule. One thread
 * multiplexing every connection costs far less CPU than a thread per connection, which matters when
 * the server under test shares the same two cores.
 */
final class LoadLoop implements Runnable {
  private static final long TIMEOUT_SCAN_NANOS = 20_000_000;

  /**
   * Selector timeouts are whole milliseconds, so waits shorter than this are done by short parks
   * between non-blocking selects instead, keeping send times and completion stamps within about a
   * tenth of a millisecond.
   */
  private static final long COARSE_WAIT_NANOS = 2_000_000;

  private static final long FINE_POLL_NANOS = 100_000;
  private static final long MIN_BACKOFF_NANOS = 50_000_000;
  private static final long MAX_BACKOFF_NANOS = 1_000_000_000;
  private static final long DEFAULT_OVERLOAD_PAUSE_NANOS = 100_000_000;

  private final boolean open;
  private final int connectionLimit;
  private final int eventsPerRequest;
  private final Counters counters;
  private final AcknowledgementGaps acknowledgements;
  private final Recorder latency;
  private final Recorder sendLag;
  private final EventGenerator generator;
  private final InetSocketAddress address;
  private final RequestHeads heads;
  private final ApiKeys keys;
  private final int headerReserve;
  private final long timeoutNanos;
  private final long retryAfterCapNanos;
  private final long startNanos;
  private final long sendEndNanos;
  private final double intervalNanos;
  private final double offsetNanos;
  private final AckParser ack = new AckParser();
  private final Consumer<String> rejectionSink;
  private final Consumer<SelectionKey> keyHandler = this::handleKey;

  /** Indexed by status code, which the parser reads as three digits. */
  private final boolean[] sampled = new boolean[1000];

  private final List<Connection> connections = new ArrayList<>();
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final List<Connection> waiting = new ArrayList<>();
  private Selector selector;
  private boolean sending = true;
  private long nextIndex;
  private int inFlight;
  private long connectNotBefore;
  private long connectBackoffNanos = MIN_BACKOFF_NANOS;
  private long lastTimeoutScan;

  /** Read by the control thread for progress lines. */
  volatile int inFlightGauge;

  volatile long behindNanosGauge;

  /** Results, valid once {@link #run} has returned. */
  long unsentRequests;

  long behindAtEndNanos;
  long connectionsOpened;
  volatile Throwable failure;

  /**
   * @param share this thread's index among {@code shares} I/O threads
   */
  LoadLoop(
      LoadSettings settings,
      int share,
      int shares,
      EventGenerator generator,
      InetSocketAddress address,
      RequestHeads heads,
      Counters counters,
      AcknowledgementGaps acknowledgements,
      Recorder latency,
      Recorder sendLag,
      long startNanos,
      long sendEndNanos) {
    this.open = settings.openModel();
    int total = open ? settings.maxInFlight() : settings.connections();
    this.connectionLimit = total / shares + (share < total % shares ? 1 : 0);
    this.eventsPerRequest = settings.eventsPerRequest();
    this.counters = counters;
    this.acknowledgements = acknowledgements;
    this.latency = latency;
    this.sendLag = sendLag;
    this.generator = generator;
    this.address = address;
    this.heads = heads;
    this.keys = settings.keys();
    this.headerReserve = heads.reserve();
    this.timeoutNanos = (long) (settings.timeoutSeconds() * 1e9);
    this.retryAfterCapNanos = (long) (settings.retryAfterCapSeconds() * 1e9);
    this.startNanos = startNanos;
    this.sendEndNanos = sendEndNanos;
    if (open) {
      double requestsPerSecond = settings.rate() / settings.eventsPerRequest() / shares;
      this.intervalNanos = 1e9 / requestsPerSecond;
      // Threads interleave their schedules instead of all firing at the same instants.
      this.offsetNanos = intervalNanos * share / shares;
    } else {
      this.intervalNanos = 0;
      this.offsetNanos = 0;
    }
    this.rejectionSink = counters::rejection;
  }

  @Override
  public void run() {
    try (Selector s = Selector.open()) {
      selector = s;
      if (!open) {
        long now = System.nanoTime();
        for (int i = 0; i < connectionLimit; i++) {
          Connection c = newConnection();
          connect(c, now);
        }
      }
      while (true) {
        long now = System.nanoTime();
        if (sending && (now >= sendEndNanos || counters.keyRefusal() != null)) {
          stopSending();
        }
        if (!sending && inFlight == 0) {
          break;
        }
        if (sending && now >= startNanos) {
          dispatch(now);
        }
        if (now - lastTimeoutScan >= TIMEOUT_SCAN_NANOS) {
          expireOverdue(now);
          lastTimeoutScan = now;
        }
        publishGauges(now);
        waitForEvents(now);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      for (Connection c : connections) {
        closeChannel(c);
      }
      inFlightGauge = 0;
    }
  }

  private Connection newConnection() {
    Connection c = new Connection(headerReserve + eventsPerRequest * 300);
    connections.add(c);
    return c;
  }

  private long intendedTime(long index) {
    return startNanos + (long) (offsetNanos + index * intervalNanos);
  }

  private void dispatch(long now) {
    if (open) {
      while (true) {
        long intended = intendedTime(nextIndex);
        if (intended > now || intended >= sendEndNanos) {
          return;
        }
        Connection c = idle.pollFirst();
        if (c == null) {
          if (connections.size() >= connectionLimit || now < connectNotBefore) {
            // Every allowed connection is busy: the schedule slips and the lag is measured.
            return;
          }
          c = newConnection();
          beginRequest(c, intended);
          nextIndex++;
          connect(c, now);
          continue;
        }
        beginRequest(c, intended);
        nextIndex++;
        transmit(c);
      }
    } else {
      wakeWaiting(now);
      Connection c;
      while ((c = idle.pollFirst()) != null) {
        beginRequest(c, now);
        transmit(c);
      }
    }
  }

  private void beginRequest(Connection c, long intended) {
    c.hasRequest = true;
    c.written = false;
    c.intended = intended;
    c.events = eventsPerRequest;
    inFlight++;
    counters.requests.increment();
    counters.events.add(eventsPerRequest);
  }

  private void transmit(Connection c) {
    JsonBuffer request = c.request;
    request.reset(headerReserve);
    int duplicates = generator.writeBatch(request, eventsPerRequest, System.currentTimeMillis());
    if (duplicates > 0) {
      counters.duplicatesSent.add(duplicates);
    }
    int start = heads.write(request.array(), headerReserve, request.length() - headerReserve);
    c.apiKey = heads.lastKey();
    c.prepareOutput(start, request.length());
    long now = System.nanoTime();
    if (open) {
      // Latency counts from the intended start, so a stalled server cannot hide behind a late send.
      c.latencyBase = c.intended;
      sendLag.recordValue(Math.max(0, now - c.intended) / 1000);
    } else {
      c.latencyBase = now;
    }
    c.requestDeadline = now + timeoutNanos;
    c.state = State.WRITING;
    writeSome(c);
  }

  private void writeSome(Connection c) {
    ByteBuffer output = c.output;
    int before = output.position();
    try {
      c.channel.write(output);
    } catch (IOException e) {
      requestFailed(c, "write-failed");
      return;
    }
    if (output.position() > before) {
      c.written = true;
    }
    if (output.hasRemaining()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
    } else {
      c.state = State.AWAITING;
      c.key.interestOps(SelectionKey.OP_READ);
    }
  }

  private void handleKey(SelectionKey key) {
    Connection c = (Connection) key.attachment();
    if (!key.isValid()) {
      return;
    }
    int ready = key.readyOps();
    if ((ready & SelectionKey.OP_CONNECT) != 0) {
      finishConnect(c);
      return;
    }
    if ((ready & SelectionKey.OP_WRITE) != 0 && c.state == State.WRITING) {
      writeSome(c);
    }
    if ((ready & SelectionKey.OP_READ) != 0 && key.isValid()) {
      onReadable(c);
    }
  }

  private void onReadable(Connection c) {
    HttpResponseParser parser = c.parser;
    int n;
    try {
      n = parser.readFrom(c.channel);
    } catch (IOException e) {
      if (c.hasRequest) {
        requestFailed(c, "read-failed");
      } else {
        closeChannel(c);
        connectionLost(c, false);
      }
      return;
    }
    if (!c.hasRequest || c.state != State.AWAITING) {
      if (n < 0 || !parser.isEmpty()) {
        // The server closed an idle keep-alive connection, or sent bytes nobody asked for.
        if (n >= 0) {
          counters.connectionError("unsolicited-data");
        }
        closeChannel(c);
        connectionLost(c, n >= 0);
      }
      return;
    }
    try {
      if (parser.complete()) {
        onResponse(c);
      } else if (n < 0) {
        requestFailed(c, "closed-by-server");
      }
    } catch (HttpProtocolException e) {
      requestFailed(c, "invalid-response");
    }
  }

  private void onResponse(Connection c) {
    long done = System.nanoTime();
    HttpResponseParser response = c.parser;
    int status = response.status();
    if (status >= 200 && status < 300) {
      if (ack.parse(response.body(), response.bodyOffset(), response.bodyLength(), rejectionSink)) {
        latency.recordValue(Math.max(1, (done - c.latencyBase) / 1000));
        acknowledgements.acknowledged(done);
        counters.okRequests.increment();
        counters.accepted.add(ack.accepted());
        counters.duplicates.add(ack.duplicates());
        counters.rejected.add(ack.rejected());
        if (ack.accepted() + ack.duplicates() + ack.rejected() != c.events) {
          counters.connectionError("ack-count-mismatch");
        }
      } else {
        counters.connectionError("invalid-ack");
        countFailure(c, true);
      }
    } else if (status == 429) {
      // A key over its rate limit: the server stored nothing and asked the client to wait.
      counters.throttledRequests.increment();
      counters.throttledEvents.add(c.events);
      sampleError(status, response);
      pauseAsAsked(c, response, done);
    } else {
      counters.httpError(status);
      counters.failedRequests.increment();
      counters.failedEvents.add(c.events);
      if (status >= 500) {
        // The server may have stored some events before it failed; the journal check allows it.
        counters.unknownOutcomeEvents.add(c.events);
      }
      sampleError(status, response);
      if (status == 401 || status == 403) {
        // A refused key fails every request alike: stop instead of reporting a run of errors.
        counters.keyRefused(
            new LoadReport.KeyRefusal(
                status,
                keys.isEmpty() ? null : keys.describe(c.apiKey),
                AckParser.problemSummary(
                    response.body(), response.bodyOffset(), response.bodyLength())));
        if (sending) {
          stopSending();
        }
      } else if (status == 503) {
        pauseAsAsked(c, response, done);
      }
    }
    c.hasRequest = false;
    inFlight--;
    boolean close = response.closeAfter();
    response.consume();
    if (close) {
      closeChannel(c);
      connectionLost(c, false);
    } else {
      becomeIdle(c, done);
    }
  }

  /** Keeps the first problem of each status; later ones of that status cost nothing. */
  private void sampleError(int status, HttpResponseParser response) {
    if (sampled[status]) {
      return;
    }
    sampled[status] = true;
    String sampleKey = Integer.toString(status);
    if (!counters.hasErrorSample(sampleKey)) {
      counters.errorSample(
          sampleKey,
          AckParser.problemSummary(response.body(), response.bodyOffset(), response.bodyLength()));
    }
  }

  /**
   * Closed-model clients wait as a 429 or 503 asks (up to the cap); in the open model the schedule
   * alone sets the pace, because independent users do not coordinate their retries.
   */
  private void pauseAsAsked(Connection c, HttpResponseParser response, long now) {
    if (!open) {
      long asked = response.retryAfterMillis();
      long pause = asked >= 0 ? asked * 1_000_000 : DEFAULT_OVERLOAD_PAUSE_NANOS;
      c.pauseUntil = now + Math.min(pause, retryAfterCapNanos);
    }
  }

  private void becomeIdle(Connection c, long now) {
    c.state = State.IDLE;
    c.key.interestOps(SelectionKey.OP_READ);
    if (!open && c.pauseUntil > now) {
      waiting.add(c);
    } else {
      idle.addLast(c);
    }
  }

  private void countFailure(Connection c, boolean noUsableResponse) {
    counters.failedRequests.increment();
    counters.failedEvents.add(c.events);
    if (noUsableResponse) {
      counters.requestsWithoutResponse.increment();
      if (c.written) {
        counters.unknownOutcomeEvents.add(c.events);
      }
    }
  }

  private void requestFailed(Connection c, String kind) {
    counters.connectionError(kind);
    countFailure(c, true);
    c.hasRequest = false;
    inFlight--;
    closeChannel(c);
    connectionLost(c, true);
  }

  private void connect(Connection c, long now) {
    c.parser = new HttpResponseParser();
    c.state = State.CONNECTING;
    c.connectDeadline = now + timeoutNanos;
    try {
      SocketChannel channel = SocketChannel.open();
      c.channel = channel;
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (channel.connect(address)) {
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        onConnected(c, now);
      } else {
        c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
      }
    } catch (IOException e) {
      connectFailed(c, e instanceof ConnectException ? "connect-refused" : "connect-failed", now);
    }
  }

  private void finishConnect(Connection c) {
    long now = System.nanoTime();
    try {
      if (c.channel.finishConnect()) {
        c.key.interestOps(SelectionKey.OP_READ);
        onConnected(c, now);
      }
    } catch (IOException e) {
      connectFailed(c, e instanceof ConnectException ? "connect-refused" : "connect-failed", now);
    }
  }

  private void onConnected(Connection c, long now) {
    connectionsOpened++;
    connectBackoffNanos = MIN_BACKOFF_NANOS;
    c.reconnectBackoffNanos = MIN_BACKOFF_NANOS;
    c.state = State.IDLE;
    if (c.hasRequest) {
      transmit(c);
    } else {
      becomeIdle(c, now);
    }
  }

  private void connectFailed(Connection c, String kind, long now) {
    counters.connectionError(kind);
    closeChannel(c);
    if (c.hasRequest) {
      countFailure(c, true);
      c.hasRequest = false;
      inFlight--;
    }
    if (open) {
      connections.remove(c);
      connectNotBefore = now + connectBackoffNanos;
      connectBackoffNanos = Math.min(connectBackoffNanos * 2, MAX_BACKOFF_NANOS);
    } else {
      c.state = State.CLOSED;
      c.pauseUntil = now + c.reconnectBackoffNanos;
      c.reconnectBackoffNanos = Math.min(c.reconnectBackoffNanos * 2, MAX_BACKOFF_NANOS);
      waiting.add(c);
    }
  }

  /** After a close: the open model opens connections on demand; the closed model reconnects. */
  private void connectionLost(Connection c, boolean abnormal) {
    idle.remove(c);
    if (open) {
      connections.remove(c);
      return;
    }
    long now = System.nanoTime();
    c.state = State.CLOSED;
    c.pauseUntil = abnormal ? now + c.reconnectBackoffNanos : now;
    if (abnormal) {
      c.reconnectBackoffNanos = Math.min(c.reconnectBackoffNanos * 2, MAX_BACKOFF_NANOS);
    }
    waiting.remove(c);
    waiting.add(c);
  }

  private void wakeWaiting(long now) {
    for (int i = waiting.size() - 1; i >= 0; i--) {
      Connection c = waiting.get(i);
      if (c.pauseUntil <= now) {
        waiting.set(i, waiting.get(waiting.size() - 1));
        waiting.remove(waiting.size() - 1);
        if (c.state == State.CLOSED) {
          connect(c, now);
        } else {
          idle.addLast(c);
        }
      }
    }
  }

  private void expireOverdue(long now) {
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (i >= connections.size()) {
        continue;
      }
      Connection c = connections.get(i);
      if (c.state == State.CONNECTING && now > c.connectDeadline) {
        connectFailed(c, "connect-timeout", now);
      } else if (c.hasRequest && c.state != State.CONNECTING && now > c.requestDeadline) {
        requestFailed(c, "timeout");
      }
    }
  }

  private void stopSending() {
    sending = false;
    if (open) {
      double scheduledBeforeEnd = (sendEndNanos - startNanos - offsetNanos) / intervalNanos;
      long scheduled = scheduledBeforeEnd > 0 ? (long) Math.ceil(scheduledBeforeEnd) : 0;
      unsentRequests = Math.max(0, scheduled - nextIndex);
      behindAtEndNanos = unsentRequests > 0 ? sendEndNanos - intendedTime(nextIndex) : 0;
    }
    waiting.clear();
  }

  private void publishGauges(long now) {
    if (inFlightGauge != inFlight) {
      inFlightGauge = inFlight;
    }
    if (open) {
      long behind = sending ? Math.max(0, now - intendedTime(nextIndex)) : 0;
      if (behindNanosGauge != behind) {
        behindNanosGauge = behind;
      }
    }
  }

  private void waitForEvents(long now) throws IOException {
    long wake = now + TIMEOUT_SCAN_NANOS;
    if (sending) {
      wake = Math.min(wake, sendEndNanos);
      if (now < startNanos) {
        wake = Math.min(wake, startNanos);
      } else if (open) {
        long intended = intendedTime(nextIndex);
        if (intended > now) {
          wake = Math.min(wake, intended);
        } else if (connections.size() < connectionLimit && connectNotBefore > now) {
          wake = Math.min(wake, connectNotBefore);
        }
      } else {
        for (Connection c : waiting) {
          wake = Math.min(wake, c.pauseUntil);
        }
      }
    }
    long wait = wake - now;
    if (wait <= 0) {
      selector.selectNow(keyHandler);
    } else if (wait >= COARSE_WAIT_NANOS) {
      selector.select(keyHandler, wait / 1_000_000 - 1);
    } else {
      LockSupport.parkNanos(inFlight > 0 ? Math.min(wait, FINE_POLL_NANOS) : wait);
      selector.selectNow(keyHandler);
    }
  }

  private static void closeChannel(Connection c) {
    if (c.channel != null) {
      try {
        c.channel.close();
      } catch (IOException e) {
        // Closing a socket that already failed; nothing left to release.
      }
    }
  }

  private enum State {
    CONNECTING,
    IDLE,
    WRITING,
    AWAITING,
    CLOSED
  }

  /** One keep-alive connection and the request it carries, if any. */
  private static final class Connection {
    final JsonBuffer request;
    SocketChannel channel;
    SelectionKey key;
    State state = State.CLOSED;
    HttpResponseParser parser = new HttpResponseParser();
    ByteBuffer output;
    private byte[] wrapped;
    boolean hasRequest;
    boolean written;
    int events;
    int apiKey;
    long intended;
    long latencyBase;
    long requestDeadline;
    long connectDeadline;
    long pauseUntil;
    long reconnectBackoffNanos = MIN_BACKOFF_NANOS;

    Connection(int bufferCapacity) {
      this.request = new JsonBuffer(bufferCapacity);
    }

    void prepareOutput(int from, int to) {
      byte[] array = request.array();
      if (array != wrapped) {
        output = ByteBuffer.wrap(array);
        wrapped = array;
      }
      output.clear().limit(to).position(from);
    }
  }
}
