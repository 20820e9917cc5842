package io.pulse.api.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSProtocol.SessionBytes;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection policy of one node. Every accepted connection is either admitted, and then must
 * deliver a complete request head within the header-read timeout and each later one within the idle
 * timeout of the previous response, or refused and closed at once: beyond the node's cap, beyond
 * its client's cap, or once the node drains. Refusing rather than leaving connections unaccepted is
 * the point: a connection waiting in the accept queue holds its place ahead of every client behind
 * it, whereas a refused one holds nothing.
 *
 * <p>A client is a remote IPv4 address, or the /64 prefix of a remote IPv6 address, since one IPv6
 * host usually has a whole /64 to connect from.
 */
public final class ConnectionGate {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);

  /** How often, at most, the log says that connections are refused for one reason. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** After its deadline every connection closes itself; this is the margin to see it closed. */
  private static final Duration DRAIN_MARGIN = Duration.ofSeconds(1);

  /** Why a connection was closed as soon as it was accepted. */
  public enum Refusal {
    NODE_LIMIT("max-connections"),
    CLIENT_LIMIT("max-connections-per-client"),
    SHUTTING_DOWN("shutting-down");

    private final String label;

    Refusal(String label) {
      this.label = label;
    }

    /** The name metrics and logs use. */
    public String label() {
      return label;
    }
  }

  /** Which wait for a request head ran out. */
  public enum Timeout {
    /** A new connection's first request head. */
    HEADER_READ("header-read"),
    /** A keep-alive connection's next request head after a response. */
    IDLE("idle");

    private final String label;

    Timeout(String label) {
      this.label = label;
    }

    /** The name metrics and logs use. */
    public String label() {
      return label;
    }
  }

  /** The outcome of {@link #admit}: a held slot, or why there is none. */
  public sealed interface Admission {

    /** The connection holds a slot until it closes. */
    record Admitted(Ticket ticket) implements Admission {}

    /** The connection is to be closed at once. */
    record Refused(Refusal reason) implements Admission {}
  }

  /**
   * One admitted connection's slot, released exactly once when the connection's stream stops, and
   * the way the gate asks the connection to drain.
   */
  public static final class Ticket {
    private final InetAddress client;
    private final AtomicBoolean released = new AtomicBoolean();
    private final CompletableFuture<Done> closed = new CompletableFuture<>();
    private Consumer<Duration> drainSignal;
    private Duration drainRequested;

    private Ticket(InetAddress client) {
      this.client = client;
    }

    /** The client the slot counts against. */
    public InetAddress client() {
      return client;
    }

    /**
     * Where the connection hears that it must drain; a drain asked for before the connection
     * started is passed on at once.
     */
    synchronized void onDrain(Consumer<Duration> signal) {
      drainSignal = signal;
      if (drainRequested != null) {
        signal.accept(drainRequested);
      }
    }

    private synchronized void drain(Duration deadline) {
      if (drainRequested == null) {
        drainRequested = deadline;
        if (drainSignal != null) {
          drainSignal.accept(deadline);
        }
      }
    }
  }

  /** Refused connections being closed at once; beyond it, accepting waits for them. */
  private static final int REFUSALS_IN_FLIGHT = 4096;

  /**
   * Pekko HTTP's server layer speaks TLS records; without TLS they are the bytes themselves. The
   * plain-text stage hands on session bytes, which the server layer reads as what they are: inbound
   * TLS records.
   */
  private static final BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>
      PLAIN_TEXT =
          BidiFlow.fromFlows(
                  Flow.<SslTlsOutbound>create(),
                  Flow.<SessionBytes>create().<SslTlsInbound>map(bytes -> bytes))
              .atop(TLSPlacebo.getInstance());

  private final ConnectionLimits limits;
  private final ConnectionObserver observer;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, Integer> openPerClient = new ConcurrentHashMap<>();
  private final Set<Ticket> live = ConcurrentHashMap.newKeySet();
  private final Map<Refusal, AtomicLong> lastRefusalLogged = new EnumMap<>(Refusal.class);
  private volatile Duration drainDeadline;

  public ConnectionGate(ConnectionLimits limits, ConnectionObserver observer) {
    this.limits = limits;
    this.observer = observer;
    for (Refusal reason : Refusal.values()) {
      lastRefusalLogged.put(reason, new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS));
    }
  }

  public ConnectionLimits limits() {
    return limits;
  }

  /** Connections admitted and not closed yet. */
  public int openConnections() {
    return open.get();
  }

  /** Connections of {@code remote}'s client admitted and not closed yet. */
  public int openConnections(InetAddress remote) {
    return openPerClient.getOrDefault(client(remote), 0);
  }

  /** Takes a slot for a connection from {@code remote}, or says why it gets none. */
  public Admission admit(InetAddress remote) {
    if (drainDeadline != null) {
      return new Admission.Refused(Refusal.SHUTTING_DOWN);
    }
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      return new Admission.Refused(Refusal.NODE_LIMIT);
    }
    InetAddress client = client(remote);
    AtomicBoolean admitted = new AtomicBoolean();
    openPerClient.compute(
        client,
        (key, count) -> {
          int held = count == null ? 0 : count;
          if (held >= limits.maxConnectionsPerClient()) {
            return count;
          }
          admitted.set(true);
          return held + 1;
        });
    if (!admitted.get()) {
      open.decrementAndGet();
      return new Admission.Refused(Refusal.CLIENT_LIMIT);
    }
    Ticket ticket = new Ticket(client);
    live.add(ticket);
    return new Admission.Admitted(ticket);
  }

  /** Gives the ticket's slot back; only the first call counts. */
  public void release(Ticket ticket) {
    if (ticket.released.compareAndSet(false, true)) {
      live.remove(ticket);
      openPerClient.computeIfPresent(ticket.client, (key, count) -> count <= 1 ? null : count - 1);
      open.decrementAndGet();
      ticket.closed.complete(Done.getInstance());
    }
  }

  /**
   * Binds {@code host:port} and serves every admitted connection with {@code handler} behind this
   * gate, with the HTTP settings of {@code pekko.http.server}.
   *
   * <p>Connections are taken from the socket directly rather than through Pekko HTTP's connection
   * source, so that a refused one costs only its socket: it is closed before any HTTP machinery is
   * built for it, and the accept loop gets on to the next connection sooner. The node's idle
   * timeout is the server's: a connection on which no byte moves either way for that long (a
   * stalled body, a client that stopped reading) is closed.
   */
  public CompletionStage<Tcp.ServerBinding> bind(
      ActorSystem<?> system, String host, int port, Flow<HttpRequest, HttpResponse, ?> handler) {
    Materializer materializer = Materializer.matFromSystem(system);
    ServerSettings settings = ServerSettings.create(system.settings().config());
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> http =
        Http.get(system)
            .serverLayer(settings)
            .atop(PLAIN_TEXT)
            .atop(idleTimeout(limits.idleTimeout()));
    return Tcp.get(system)
        .bind(
            host, port, settings.getBacklog(), settings.getSocketOptions(), false, Optional.empty())
        .flatMapMerge(REFUSALS_IN_FLIGHT, incoming -> accept(incoming, handler, http, materializer))
        .to(Sink.ignore())
        .run(materializer);
  }

  /**
   * Stops the server the way Pekko HTTP's own binding does on shutdown: the port is unbound first,
   * then, in the phase in which requests in flight finish, every connection drains: idle ones close
   * at once, a request in flight gets its answer with {@code Connection: close}, and at {@code
   * deadline} whatever is left is closed.
   */
  public void addToCoordinatedShutdown(
      ActorSystem<?> system, Tcp.ServerBinding binding, Duration deadline) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "pulse-http-unbind-" + binding.localAddress().getPort(),
        () -> binding.unbind().thenApply(unbound -> Done.getInstance()));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "pulse-http-drain-" + binding.localAddress().getPort(),
        () -> drain(deadline));
  }

  /**
   * Refuses new connections from now on and asks every open one to drain within {@code deadline};
   * completes when all have closed.
   */
  public CompletionStage<Done> drain(Duration deadline) {
    drainDeadline = deadline;
    CompletableFuture<?>[] closing =
        live.stream()
            .map(
                ticket -> {
                  ticket.drain(deadline);
                  return ticket.closed;
                })
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(closing)
        .thenApply(all -> Done.getInstance())
        .completeOnTimeout(
            Done.getInstance(), deadline.plus(DRAIN_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Serves or refuses one connection. An admitted one runs as a stream of its own; a refused one is
   * closed by the source returned, which runs inside the accepting stream, so that a flood of
   * refused connections costs little more than their sockets. Nothing here may fail the accepting
   * stream.
   */
  private Source<ByteString, NotUsed> accept(
      Tcp.IncomingConnection incoming,
      Flow<HttpRequest, HttpResponse, ?> handler,
      BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> http,
      Materializer materializer) {
    InetAddress remote = incoming.remoteAddress().getAddress();
    Admission admission = admit(remote);
    if (admission instanceof Admission.Refused refused) {
      observer.refused(refused.reason());
      logRefusal(refused.reason(), remote);
      // Sending nothing closes the socket; whatever the client sent meanwhile is dropped.
      return Source.<ByteString>empty()
          .via(incoming.flow())
          .filter(ignored -> false)
          .onErrorComplete()
          .mapMaterializedValue(connection -> NotUsed.getInstance());
    }
    Ticket ticket = ((Admission.Admitted) admission).ticket();
    try {
      incoming.handleWith(
          BidiFlow.fromGraph(new GatedConnection(this, ticket, observer)).join(handler).join(http),
          materializer);
    } catch (RuntimeException e) {
      release(ticket);
      log.error("Could not serve a connection from {}", remote, e);
    }
    return Source.empty();
  }

  private void logRefusal(Refusal reason, InetAddress remote) {
    if (reason == Refusal.SHUTTING_DOWN) {
      return;
    }
    AtomicLong last = lastRefusalLogged.get(reason);
    long now = System.nanoTime();
    long previous = last.get();
    if (now - previous >= REFUSAL_LOG_INTERVAL_NANOS && last.compareAndSet(previous, now)) {
      log.warn(
          "Refusing HTTP connections ({}), the latest from {}; {} open on this node, {} of them"
              + " from that client (see pulse_http_connections_refused_total)",
          reason.label(),
          remote.getHostAddress(),
          openConnections(),
          openConnections(remote));
    }
  }

  /**
   * Fails the connection when no byte has moved either way for {@code timeout}; what the HTTP layer
   * above sees is a failure that names the setting.
   */
  private static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> idleTimeout(
      Duration timeout) {
    BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> named =
        BidiFlow.fromFlows(
            Flow.<ByteString>create(),
            Flow.<ByteString>create()
                .mapError(
                    TimeoutException.class,
                    idle ->
                        new IdleConnection(
                            "no bytes moved on the connection for "
                                + timeout
                                + " (pulse.http.idle-timeout)")));
    return named.atop(BidiFlow.<ByteString, ByteString>bidirectionalIdleTimeout(timeout));
  }

  /** Whether {@code failure} is, or was caused by, the byte-level idle timeout. */
  static boolean isIdleTimeout(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IdleConnection) {
        return true;
      }
    }
    return false;
  }

  /** Why an idle connection was closed; its stack trace would say nothing more. */
  private static final class IdleConnection extends TimeoutException {
    private static final long serialVersionUID = 1L;

    IdleConnection(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** The client a remote address counts against: IPv4 as is, IPv6 by its /64 prefix. */
  static InetAddress client(InetAddress remote) {
    if (!(remote instanceof Inet6Address)) {
      return remote;
    }
    byte[] prefix = Arrays.copyOf(Arrays.copyOf(remote.getAddress(), 8), 16);
    try {
      return InetAddress.getByAddress(prefix);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
