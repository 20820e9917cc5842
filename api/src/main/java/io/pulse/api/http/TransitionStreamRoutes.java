package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.pulse.api.json.TransitionView;
import io.pulse.engine.domain.Transition;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.journal.JournalFailures;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.FellBehindException;
import io.pulse.persistence.LiveTagFeed;
import io.pulse.persistence.TaggedEventFeed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/transitions/stream}: transitions as Server-Sent Events, {@code id:} the offset,
 * {@code event: transition}, {@code data:} the transition as {@code GET /v1/transitions} shows it.
 * Resumes after {@code Last-Event-ID} (or {@code ?after=}); takes the same filters.
 *
 * <p>Every client follows this node's one shared live read ({@link LiveTagFeed}) through a buffer
 * of its own, so a slow client never holds back the others. A client that falls more than its
 * buffer behind, or that is connected when the node shuts down, gets a last event, {@code event:
 * resume} with {@code id:} and {@code data: {"after": offset}}, and the stream ends; reconnecting
 * with that offset (which EventSource does by itself with {@code Last-Event-ID}) continues without
 * loss. Comment lines keep idle connections open.
 */
public final class TransitionStreamRoutes {

  /** Settings of the stream, from {@code pulse.transitions.stream}. */
  public record Settings(Duration heartbeatInterval, int clientBuffer) {
    public static Settings fromConfig(Config config) {
      Config stream = config.getConfig("pulse.transitions.stream");
      return new Settings(stream.getDuration("heartbeat-interval"), stream.getInt("client-buffer"));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(TransitionStreamRoutes.class);
  private static final ByteString HEARTBEAT = ByteString.fromString(":\n\n");

  private final LiveTagFeed transitions;
  private final JsonResponses responses;
  private final ObjectMapper mapper;
  private final Settings settings;
  private final SharedKillSwitch shutdown;

  public TransitionStreamRoutes(
      ActorSystem<?> system, LiveTagFeed transitions, JsonResponses responses, Settings settings) {
    this.transitions = transitions;
    this.responses = responses;
    this.mapper = responses.mapper();
    this.settings = settings;
    this.shutdown = KillSwitches.shared("transition-streams");
    // Open streams would hold the server's shutdown up to its deadline; end them first, each
    // with a resume event.
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceUnbind(),
            "close-transition-streams",
            () -> {
              shutdown.abort(new ServerStopping());
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /** Ends a stream because the node is shutting down. */
  private static final class ServerStopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerStopping() {
      super("the server is stopping", null, false, false);
    }
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/transitions/stream",
            Scope.TRANSITIONS_READ,
            call ->
                parameterMap(
                    parameters ->
                        optionalHeaderValueByName(
                            "Last-Event-ID",
                            lastEventId -> stream(call.tenant(), parameters, lastEventId)))));
  }

  private Route stream(
      String tenant, Map<String, String> parameters, Optional<String> lastEventId) {
    long after;
    try {
      after =
          lastEventId.isPresent() && !lastEventId.get().isBlank()
              ? TransitionRoutes.longParameter(
                  Map.of("Last-Event-ID", lastEventId.get().trim()),
                  "Last-Event-ID",
                  0,
                  0,
                  Long.MAX_VALUE)
              : TransitionRoutes.longParameter(parameters, "after", 0, 0, Long.MAX_VALUE);
    } catch (Problem.Raised raised) {
      return complete(responses.problem(raised.problem()));
    }
    Predicate<Transition> filter = TransitionRoutes.filterOf(parameters);
    Source<ByteString, NotUsed> events = events(tenant, after, filter);
    return complete(
        HttpResponse.create()
            .withStatus(200)
            .withEntity(HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), events))
            .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))
            // Tells buffering proxies to pass each event on at once.
            .addHeader(RawHeader.create("X-Accel-Buffering", "no")));
  }

  /** Bytes for the client, and the offset of the journal entry they stand for (-1 for none). */
  private record Chunk(long offset, ByteString bytes) {}

  private static final Chunk HEARTBEAT_CHUNK = new Chunk(-1, HEARTBEAT);

  /** The event stream of one client of {@code tenant}, after {@code after}. */
  Source<ByteString, NotUsed> events(String tenant, long after, Predicate<Transition> filter) {
    String ownUsers = UserEntity.persistenceIdPrefix(tenant);
    // The offset of the last journal entry handed to the connection for this client, whether
    // it was a transition sent or one the filter left out; tracked after every stage that may
    // hold an element, so that the resume event never skips one.
    AtomicLong position = new AtomicLong(after);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Source<Chunk, NotUsed> transitionChunks =
        transitions
            .after(after, settings.clientBuffer())
            .via(shutdown.flow())
            .map(envelope -> chunk(envelope, ownUsers, filter))
            .recoverWithRetries(
                1,
                new PFBuilder<Throwable, Graph<SourceShape<Chunk>, NotUsed>>()
                    .matchAny(
                        cause -> {
                          failure.set(cause);
                          return Source.empty();
                        })
                    .build());
    Source<ByteString, NotUsed> live =
        Source.single(new Chunk(-1, ByteString.fromString(": transitions after " + after + "\n\n")))
            .concat(transitionChunks)
            .keepAlive(settings.heartbeatInterval(), () -> HEARTBEAT_CHUNK)
            .map(
                chunk -> {
                  if (chunk.offset() >= 0) {
                    position.set(chunk.offset());
                  }
                  return chunk.bytes();
                })
            .filter(bytes -> !bytes.isEmpty());
    // Created only once the live part has ended, so it sees the final position.
    Source<ByteString, NotUsed> resume =
        Source.lazySource(
                () ->
                    failure.get() == null
                        ? Source.<ByteString>empty()
                        : Source.single(resume(position.get(), failure.get())))
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
    return live.concatLazy(resume);
  }

  private Chunk chunk(EventEnvelope envelope, String ownUsers, Predicate<Transition> filter)
      throws JsonProcessingException {
    long offset = TaggedEventFeed.offsetOf(envelope);
    if (envelope.event() instanceof Transition transition
        && envelope.persistenceId().startsWith(ownUsers)
        && filter.test(transition)) {
      return new Chunk(offset, encode(transition, offset));
    }
    return new Chunk(offset, ByteString.emptyByteString());
  }

  private ByteString encode(Transition transition, long offset) throws JsonProcessingException {
    Object view = TransitionView.ofAny(transition, offset);
    // JSON has no raw line breaks, so the data fits on one line.
    return ByteString.fromString(
        "id: " + offset + "\nevent: transition\ndata: " + mapper.writeValueAsString(view) + "\n\n",
        StandardCharsets.UTF_8);
  }

  private static ByteString resume(long after, Throwable cause) {
    if (JournalFailures.isConnectivity(cause)) {
      // The node logs the outage once; a line per stream would only repeat it.
      log.debug("Transition stream ended while the journal is out of reach", cause);
    } else if (!(cause instanceof FellBehindException) && !(cause instanceof ServerStopping)) {
      log.warn("Transition stream ended by a failure; telling the client to resume", cause);
    }
    return ByteString.fromString(
        "id: " + after + "\nevent: resume\ndata: {\"after\": " + after + "}\n\n");
  }
}
