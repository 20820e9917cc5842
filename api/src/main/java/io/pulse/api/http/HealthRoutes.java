package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code /health/alive} answers while the process runs; {@code /health/ready} only when this node
 * is an Up cluster member, holds the scoring models and the API keys, has started the users' shards
 * and its journal database answers. Both are open: probes carry no key.
 *
 * <p>Readiness never waits for the database: it reads the status the node's journal probe keeps
 * (checked twice a second by default), so that it answers at once whatever the database does, and
 * says why the journal is not available.
 */
public final class HealthRoutes {

  /** The names of the readiness checks, as {@code /health/ready} and the metrics give them. */
  public static final List<String> CHECKS =
      List.of("clusterMemberUp", "modelsLoaded", "keysLoaded", "userShardsStarted", "journal");

  private final ActorSystem<?> system;
  private final BooleanSupplier modelsLoaded;
  private final BooleanSupplier keysLoaded;
  private final BooleanSupplier userShardsStarted;
  private final JournalAvailability journal;
  private final JsonResponses responses;

  public HealthRoutes(
      ActorSystem<?> system,
      BooleanSupplier modelsLoaded,
      BooleanSupplier keysLoaded,
      BooleanSupplier userShardsStarted,
      JournalAvailability journal,
      JsonResponses responses) {
    this.system = system;
    this.modelsLoaded = modelsLoaded;
    this.keysLoaded = keysLoaded;
    this.userShardsStarted = userShardsStarted;
    this.journal = journal;
    this.responses = responses;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.open(
            "GET",
            "/health/alive",
            call -> complete(responses.json(200, Map.of("status", "alive")))),
        Endpoint.open("GET", "/health/ready", call -> complete(readiness())));
  }

  /** Each of the {@link #CHECKS} and whether it passes now, from the cached journal status. */
  public Map<String, Boolean> checks() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("clusterMemberUp", Cluster.get(system).selfMember().status() == MemberStatus.up());
    checks.put("modelsLoaded", modelsLoaded.getAsBoolean());
    checks.put("keysLoaded", keysLoaded.getAsBoolean());
    checks.put("userShardsStarted", userShardsStarted.getAsBoolean());
    checks.put("journal", journal.status().available());
    return checks;
  }

  private HttpResponse readiness() {
    JournalStatus status = journal.status();
    Map<String, Boolean> checks = checks();
    checks.put("journal", status.available());
    boolean ready = !checks.containsValue(false);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "ready" : "not-ready");
    body.put("checks", checks);
    body.put("journal", journalView(status));
    return responses.json(ready ? 200 : 503, body);
  }

  /** The journal check's details: since when it has been so, why not, and when it was checked. */
  private static Map<String, Object> journalView(JournalStatus status) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("available", status.available());
    view.put("since", status.since().toString());
    if (!status.available()) {
      view.put("reason", status.reason());
    }
    view.put("checkedAt", status.checkedAt().toString());
    return view;
  }
}
