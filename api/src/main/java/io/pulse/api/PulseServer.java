package io.pulse.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.pulse.api.cluster.ClusterFormation;
import io.pulse.api.http.EventRoutes;
import io.pulse.api.http.HealthRoutes;
import io.pulse.api.http.HttpSettings;
import io.pulse.api.http.JsonResponses;
import io.pulse.api.http.ModelRoutes;
import io.pulse.api.http.PulseRoutes;
import io.pulse.api.http.StatsRoutes;
import io.pulse.api.http.TransitionRoutes;
import io.pulse.api.http.UserRoutes;
import io.pulse.api.json.EventBatchParser;
import io.pulse.api.metrics.PulseMetrics;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.ingest.IngestSettings;
import io.pulse.engine.model.ModelCatalog;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.model.RescoringCoordinator;
import io.pulse.engine.user.UserEntity;
import io.pulse.engine.user.UserEntitySettings;
import io.pulse.persistence.DatabaseSchema;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.TaggedEventFeed;
import io.pulse.persistence.stats.StatsProjection;
import io.pulse.persistence.wakeup.WakeUpScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a Pulse node together: database, actor system, entities, read side and HTTP. */
public final class PulseServer {

  private static final Logger log = LoggerFactory.getLogger(PulseServer.class);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;

  private PulseServer(ActorSystem<Void> system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  /** Starts a node from a loaded configuration; returns once HTTP is bound. */
  public static PulseServer start(Config loaded, Clock clock) {
    Config config = DatabaseSettings.resolve(loaded);
    DatabaseSettings database = DatabaseSettings.from(config);
    DatabaseSchema.createIfEnabled(database);
    log.info("Using {}", database);

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pulse", config);
    try {
      ClusterFormation.start(system, config);
      PulseMetrics metrics = PulseMetrics.create(system);
      String tenant = config.getString("pulse.tenant");
      ModelRegistry.init(system);
      ModelCatalog catalog =
          ModelCatalog.follow(system, tenant, config.getDuration("pulse.models.refresh-interval"));
      UserEntity.init(
          system,
          catalog,
          UserEntitySettings.fromConfig(config),
          metrics.userEntityObserver(),
          clock);
      WakeUpScheduler.init(
          system,
          database,
          new WakeUpScheduler.Settings(
              tenant,
              config.getDuration("pulse.wake-ups.resolution"),
              config.getInt("pulse.wake-ups.batch-size"),
              config.getInt("pulse.wake-ups.parallelism")),
          clock);
      StatsProjection.init(system, database, tenant);
      RescoringCoordinator.init(
          system,
          new RescoringCoordinator.Settings(
              tenant,
              config.getInt("pulse.rescoring.parallelism"),
              config.getString("pulse.user.read-journal"),
              Duration.ofSeconds(1)));

      HttpSettings http = HttpSettings.fromConfig(config);
      ObjectMapper mapper =
          JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
      JsonResponses responses = new JsonResponses(mapper);
      TaggedEventFeed feed = new TaggedEventFeed(system);
      EventIngestion ingestion = new EventIngestion(system, IngestSettings.fromConfig(config));
      ClusterSharding sharding = ClusterSharding.get(system);
      TransitionSubscriptions subscriptions =
          TransitionSubscriptions.start(system, config, tenant, responses, http, clock);
      metrics.watch(ingestion).watchReadSide(feed, database);
      Promotions promotions =
          Promotions.start(system, config, database, tenant, catalog, responses, http, clock);

      PulseRoutes routes =
          new PulseRoutes(
              responses,
              new EventRoutes(
                  ingestion,
                  catalog::isLoaded,
                  new EventBatchParser(mapper.getFactory(), clock, http.maxEventsPerRequest()),
                  responses,
                  http,
                  metrics.ingestObserver()),
              new UserRoutes(sharding, catalog, responses, http, tenant, clock),
              new ModelRoutes(ModelRegistry.refFor(system, tenant), catalog, responses, http),
              new TransitionRoutes(feed, responses, http),
              promotions.campaignRoutes(),
              promotions.voucherRoutes(),
              StatsRoutes.open(system, database, responses, clock),
              subscriptions.streamRoutes(),
              subscriptions.subscriptionRoutes(),
              new HealthRoutes(system, catalog, feed, responses, http.askTimeout()));

      ServerBinding binding =
          Http.get(system)
              .newServerAt(http.host(), http.port())
              .bind(metrics.routes(routes.route()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .addToCoordinatedShutdown(config.getDuration("pulse.http.shutdown-deadline"), system);
      log.info("Pulse listening on http://{}:{}", http.host(), binding.localAddress().getPort());
      return new PulseServer(system, binding);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("Pulse could not start: " + e.getMessage(), e);
    }
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Stops the node the way SIGTERM does, through coordinated shutdown, and waits for it. */
  public void stop(Duration timeout) {
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Pulse did not stop within " + timeout, e);
    }
  }
}
