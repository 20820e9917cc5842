package io.pulse.api.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One admitted connection, between the server's HTTP layer and the request handler. It waits a
 * bounded time for each request head: the header-read timeout from the connection's start, the idle
 * timeout from the end of each response. While a request is being handled or its response streamed
 * (an SSE stream may last hours) no timer runs. When the node drains it closes the connection as
 * soon as no request is in flight; the answer to one in flight carries {@code Connection: close};
 * at the deadline whatever is left is cut. It gives the gate its slot back when it stops, however
 * it stops.
 *
 * <p>Closing is finishing the answers: the HTTP layer then closes the connection, the same way it
 * does when a request handler finishes.
 */
final class GatedConnection
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {

  private static final String AWAIT_REQUEST_HEAD = "await-request-head";
  private static final String DRAIN_DEADLINE = "drain-deadline";

  /** The answer to a request still in flight when the drain deadline passes. */
  private static final HttpResponse SHUTTING_DOWN =
      HttpResponse.create()
          .withStatus(503)
          .withEntity(
              HttpEntities.create(
                  JsonResponses.PROBLEM_JSON,
                  ("{\"type\":\"urn:pulse:problem:unavailable\",\"title\":\"Temporarily"
                          + " unavailable\",\"status\":503,\"detail\":\"the node is shutting down;"
                          + " try again\"}")
                      .getBytes(StandardCharsets.UTF_8)))
          .addHeader(RetryAfter.create(1L))
          .addHeader(Connection.create("close"));

  private final Inlet<HttpRequest> fromNet = Inlet.create("GatedConnection.fromNet");
  private final Outlet<HttpRequest> toHandler = Outlet.create("GatedConnection.toHandler");
  private final Inlet<HttpResponse> fromHandler = Inlet.create("GatedConnection.fromHandler");
  private final Outlet<HttpResponse> toNet = Outlet.create("GatedConnection.toNet");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(fromNet, toHandler, fromHandler, toNet);

  private final ConnectionGate gate;
  private final ConnectionGate.Ticket ticket;
  private final ConnectionObserver observer;

  GatedConnection(ConnectionGate gate, ConnectionGate.Ticket ticket, ConnectionObserver observer) {
    this.gate = gate;
    this.ticket = ticket;
    this.observer = observer;
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends TimerGraphStageLogic {

    /** Requests handed to the handler that it has not answered yet. */
    private int responsesOwed;

    private boolean requestSeen;
    private boolean draining;

    /** The streamed body of the latest response while it is still being sent, else null. */
    private SharedKillSwitch openEntity;

    private long entitiesStreamed;
    private AsyncCallback<Long> entityEnded;

    Logic() {
      super(shape);
      setHandler(
          fromNet,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              HttpRequest request = grab(fromNet);
              cancelTimer(AWAIT_REQUEST_HEAD);
              requestSeen = true;
              responsesOwed++;
              push(toHandler, request);
            }

            @Override
            public void onUpstreamFinish() {
              // The client sent its last request; the handler may still owe it an answer.
              complete(toHandler);
            }

            @Override
            public void onUpstreamFailure(Throwable failure) {
              // The byte-level idle timeout runs from the last byte sent, a moment before this
              // stage hears that a streamed answer ended and starts its own wait: between
              // requests it may fire first, and it is the same timeout, seen the same way.
              if (ConnectionGate.isIdleTimeout(failure)
                  && responsesOwed == 0
                  && openEntity == null
                  && !draining) {
                observeWaitTimedOut();
              }
              failStage(failure);
            }
          });
      setHandler(
          toHandler,
          new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(fromNet);
            }
          });
      setHandler(
          fromHandler,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              HttpResponse response = watched(grab(fromHandler));
              responsesOwed--;
              push(toNet, draining ? closing(response) : response);
              awaitNextRequest();
            }

            @Override
            public void onUpstreamFinish() {
              complete(toNet);
            }
          });
      setHandler(
          toNet,
          new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(fromHandler);
            }
          });
    }

    @Override
    public void preStart() {
      entityEnded = createAsyncCallback(this::entityEnded);
      AsyncCallback<Duration> drain = createAsyncCallback(this::drain);
      ticket.onDrain(drain::invoke);
      scheduleOnce(AWAIT_REQUEST_HEAD, gate.limits().headerReadTimeout());
    }

    @Override
    public void postStop() {
      gate.release(ticket);
    }

    @Override
    public void onTimer(Object key) {
      if (AWAIT_REQUEST_HEAD.equals(key)) {
        observeWaitTimedOut();
        close();
      } else if (DRAIN_DEADLINE.equals(key)) {
        if (openEntity != null) {
          // A response cut short must look cut short to the client, not complete.
          openEntity.abort(new IllegalStateException("the node is shutting down"));
        }
        if (responsesOwed > 0) {
          // The handler's answer, should it come now, is too late: the 503 takes its place.
          setHandler(
              fromHandler,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  grab(fromHandler);
                }

                @Override
                public void onUpstreamFinish() {}
              });
          emit(toNet, SHUTTING_DOWN, this::close);
        } else {
          close();
        }
      }
    }

    /** The wait for a request head ran out: before the first request, or between requests. */
    private void observeWaitTimedOut() {
      observer.timedOut(
          requestSeen ? ConnectionGate.Timeout.IDLE : ConnectionGate.Timeout.HEADER_READ);
    }

    /** Once nothing is owed or still being sent, the connection waits for its next request. */
    private void awaitNextRequest() {
      if (responsesOwed > 0 || openEntity != null) {
        return;
      }
      if (draining) {
        close();
      } else {
        scheduleOnce(AWAIT_REQUEST_HEAD, gate.limits().idleTimeout());
      }
    }

    /**
     * Ends the connection: no more requests to the handler, no more answers from it, and the last
     * answer pushed still delivered. The request side is left for the HTTP layer to close:
     * cancelling it together with the last push could overtake that push and lose the answer. The
     * stage stops, and gives its slot back, once the connection is really closed.
     */
    private void close() {
      complete(toNet);
      complete(toHandler);
      cancel(fromHandler);
    }

    private void drain(Duration deadline) {
      if (draining) {
        return;
      }
      draining = true;
      cancelTimer(AWAIT_REQUEST_HEAD);
      scheduleOnce(DRAIN_DEADLINE, deadline);
      awaitNextRequest();
    }

    private void entityEnded(long entity) {
      if (entity == entitiesStreamed && openEntity != null) {
        openEntity = null;
        awaitNextRequest();
      }
    }

    /**
     * The response with its body watched: the wait for the next request starts when the body has
     * been sent, not when the response starts. Strict bodies are sent at once; chunked bodies stay
     * chunked, sized ones sized.
     */
    private HttpResponse watched(HttpResponse response) {
      ResponseEntity entity = response.entity();
      if (entity.isStrict()) {
        return response;
      }
      SharedKillSwitch cut = KillSwitches.shared("response-body");
      long sequence = ++entitiesStreamed;
      Flow<ByteString, ByteString, NotUsed> watch =
          Flow.<ByteString>create()
              .via(cut.flow())
              .watchTermination(
                  (notUsed, done) -> {
                    done.whenComplete((ended, failure) -> entityEnded.invoke(sequence));
                    return NotUsed.getInstance();
                  });
      ResponseEntity body;
      if (entity instanceof HttpEntity.Default sized) {
        body =
            HttpEntities.create(
                sized.getContentType(), sized.getContentLength(), sized.getDataBytes().via(watch));
      } else if (entity instanceof HttpEntity.CloseDelimited closeDelimited) {
        body =
            HttpEntities.createCloseDelimited(
                closeDelimited.getContentType(), closeDelimited.getDataBytes().via(watch));
      } else {
        // Chunked: the same chunks; extensions and trailers, which no route here sends, are not
        // kept.
        body =
            HttpEntities.createChunked(entity.getContentType(), entity.getDataBytes().via(watch));
      }
      openEntity = cut;
      return response.withEntity(body);
    }

    private HttpResponse closing(HttpResponse response) {
      return response.removeHeader("Connection").addHeader(Connection.create("close"));
    }
  }
}
