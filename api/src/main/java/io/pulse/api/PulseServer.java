package io.pulse.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.pulse.api.cluster.ClusterFormation;
import io.pulse.api.http.AccessRoutes;
import io.pulse.api.http.ApiDocumentRoutes;
import io.pulse.api.http.AudienceRoutes;
import io.pulse.api.http.ConnectionGate;
import io.pulse.api.http.ConnectionLimits;
import io.pulse.api.http.Endpoint;
import io.pulse.api.http.EventRoutes;
import io.pulse.api.http.HealthRoutes;
import io.pulse.api.http.HttpSettings;
import io.pulse.api.http.JsonResponses;
import io.pulse.api.http.KeyBudgets;
import io.pulse.api.http.ModelRoutes;
import io.pulse.api.http.PulseRoutes;
import io.pulse.api.http.RouteTable;
import io.pulse.api.http.StatsRoutes;
import io.pulse.api.http.TransitionRoutes;
import io.pulse.api.http.UserRoutes;
import io.pulse.api.json.EventBatchParser;
import io.pulse.api.json.StrictJsonMappers;
import io.pulse.api.metrics.PulseMetrics;
import io.pulse.api.webhook.SecretKeys;
import io.pulse.api.webhook.SystemHostResolver;
import io.pulse.engine.access.AccessCatalog;
import io.pulse.engine.access.AccessRegistry;
import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.domain.subscription.HostResolver;
import io.pulse.engine.domain.subscription.SecretBox;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.ingest.IngestSettings;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.model.RescoringCoordinator;
import io.pulse.engine.user.ActiveUsersLimit;
import io.pulse.engine.user.UserEntity;
import io.pulse.engine.user.UserEntitySettings;
import io.pulse.engine.user.UserShardStart;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.JournalProbe;
import io.pulse.persistence.LiveTagFeed;
import io.pulse.persistence.PrivateFiles;
import io.pulse.persistence.SchemaMigrations;
import io.pulse.persistence.TaggedEventFeed;
import io.pulse.persistence.stats.StatsProjection;
import io.pulse.persistence.wakeup.WakeUpScheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProviderSetup;
import org.apache.pekko.stream.javadsl.Tcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a Pulse node together: database, actor system, entities, read side and HTTP. */
public final class PulseServer {

  private static final Logger log = LoggerFactory.getLogger(PulseServer.class);

  private final ActorSystem<Void> system;
  private final Tcp.ServerBinding binding;
  private final PulseRoutes routes;

  private PulseServer(ActorSystem<Void> system, Tcp.ServerBinding binding, PulseRoutes routes) {
    this.system = system;
    this.binding = binding;
    this.routes = routes;
  }

  /** Every route this node serves, as its route table declares them. */
  public List<Endpoint> endpoints() {
    return routes.endpoints();
  }

  /**
   * Starts a node from a loaded configuration; returns once HTTP is bound. Brings the schema to
   * this release's version first (pulse.db.migrate), and throws {@link
   * io.pulse.persistence.SchemaMigrationException} before anything else starts when it cannot.
   */
  public static PulseServer start(Config loaded, Clock clock) {
    return start(loaded, clock, new SystemHostResolver());
  }

  /**
   * Starts a node whose webhook host names are resolved by {@code resolver} (the system's resolver
   * in production; tests give names the addresses they need).
   */
  public static PulseServer start(Config loaded, Clock clock, HostResolver resolver) {
    Config config = ActiveUsersLimit.applyTo(DatabaseSettings.resolve(loaded));
    DatabaseSettings database = DatabaseSettings.from(config);
    ConnectionLimits connectionLimits = ConnectionLimits.fromConfig(config);
    // Before anything is written: the data directory and its files are for this user alone, and
    // a node without the key it needs does not start.
    PrivateFiles.protectDatabase(database);
    SecretBox secrets = SecretKeys.load(config);
    database.deprecationWarning().ifPresent(log::warn);
    SchemaMigrations.Outcome schema =
        SchemaMigrations.onStart(database, MigrateCommand.invocation());
    // The embedded database's files exist now, created under the process umask.
    PrivateFiles.protectDatabase(database);
    log.info("Using {}, {}", database, schema);

    // The HTTP API's JSON mapper (Pekko's jackson-json binding) coerces nothing.
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "pulse",
            ActorSystemSetup.create(
                BootstrapSetup.create(config),
                JacksonObjectMapperProviderSetup.create(new StrictJsonMappers())));
    try {
      ClusterFormation.start(system, config);
      JournalProbe.start(system, database, JournalProbe.Settings.fromConfig(config));
      JournalAvailability journal = JournalAvailability.get(system);
      PulseMetrics metrics = PulseMetrics.create(system).watch(journal);
      Config access = config.getConfig("pulse.access");
      AccessRegistry.init(system, clock);
      AccessCatalog keys =
          AccessCatalog.follow(
              system,
              access.getDuration("refresh-interval"),
              access.getDuration("usage-report-interval"),
              clock);
      Supplier<List<String>> tenants = () -> keys.tenants().stream().map(TenantId::value).toList();
      ModelRegistry.init(system);
      ModelCatalogs catalogs =
          ModelCatalogs.follow(
              system, tenants, config.getDuration("pulse.models.refresh-interval"));
      // A tenant created anywhere has its models read here at once, not at the next refresh.
      keys.onChange(state -> state.tenantIds().forEach(tenant -> catalogs.catalog(tenant.value())));
      UserEntity.init(
          system,
          catalogs,
          UserEntitySettings.fromConfig(config),
          metrics.userEntityObserver(),
          clock);
      // Only a node that forms a cluster of its own starts every shard (see UserShardStart).
      UserShardStart userShards =
          ClusterFormation.formsClusterOfItsOwn(config)
              ? UserShardStart.onceMemberUp(
                  system, config.getDuration("pulse.user.shard-start-timeout"))
              : UserShardStart.none(system);
      WakeUpScheduler.init(
          system,
          database,
          new WakeUpScheduler.Settings(
              config.getDuration("pulse.wake-ups.resolution"),
              config.getInt("pulse.wake-ups.batch-size"),
              config.getInt("pulse.wake-ups.parallelism")),
          clock);
      LiveTagFeed transitions = TransitionSubscriptions.startLiveRead(system, config);
      StatsProjection.init(system, database, transitions);
      RescoringCoordinator.init(
          system,
          new RescoringCoordinator.Settings(
              tenants,
              config.getInt("pulse.rescoring.parallelism"),
              config.getString("pulse.user.read-journal"),
              config.getDuration("pulse.rescoring.poll-interval")));

      HttpSettings http = HttpSettings.fromConfig(config);
      ObjectMapper mapper =
          JacksonObjectMapperProvider.get(system)
              .getOrCreate(StrictJsonMappers.HTTP_BINDING, Optional.empty());
      JsonResponses responses = new JsonResponses(mapper);
      TaggedEventFeed feed = new TaggedEventFeed(system);
      IngestSettings ingest = IngestSettings.fromConfig(config);
      EventIngestion ingestion = new EventIngestion(system, ingest);
      ClusterSharding sharding = ClusterSharding.get(system);
      TransitionSubscriptions subscriptions =
          TransitionSubscriptions.start(
              system,
              config,
              transitions,
              tenants,
              responses,
              http,
              clock,
              resolver,
              secrets,
              metrics.webhookObserver());
      metrics
          .watch(ingestion, ingest.maxInFlightEvents())
          .watchReadSide(transitions, database)
          .watchRescoring(tenants, tenant -> catalogs.catalog(tenant).revisionHeld());
      Promotions promotions =
          Promotions.start(system, config, database, catalogs, responses, http, clock);

      CompletableFuture<Done> firstKey =
          AdminKeyBootstrap.start(
                  system,
                  keys,
                  access.getString("admin-key"),
                  Path.of(config.getString("pulse.data-dir")),
                  clock)
              .toCompletableFuture();

      KeyBudgets budgets =
          new KeyBudgets(
              new KeyLimits(
                  access.getInt("default-limits.requests-per-second"),
                  access.getInt("default-limits.events-per-second")));
      List<Endpoint> endpoints = new ArrayList<>();
      HealthRoutes health =
          new HealthRoutes(
              system,
              () -> catalogs.catalog(TenantId.DEFAULT.value()).isLoaded(),
              () -> keys.isLoaded() && firstKey.isDone(),
              userShards::isDone,
              journal,
              responses);
      metrics.watchReadiness(() -> CompletableFuture.completedFuture(health.checks()));
      endpoints.addAll(health.endpoints());
      endpoints.add(metrics.endpoint(config.getBoolean("pulse.metrics.require-key")));
      endpoints.addAll(new ApiDocumentRoutes(responses).endpoints());
      endpoints.addAll(new AccessRoutes(system, keys, responses, http).endpoints());
      endpoints.addAll(
          new EventRoutes(
                  ingestion,
                  tenant -> catalogs.whenLoaded(tenant, http.retryAfter()),
                  new EventBatchParser(
                      mapper.getFactory(),
                      clock,
                      http.maxEventsPerRequest(),
                      http.limits(),
                      UserEntitySettings.fromConfig(config).traitLimits()),
                  responses,
                  http,
                  metrics.ingestObserver(),
                  decision -> RouteTable.tooManyRequests(responses, decision, "events"))
              .endpoints());
      endpoints.addAll(new UserRoutes(sharding, catalogs, responses, http, clock).endpoints());
      endpoints.addAll(new ModelRoutes(system, catalogs, responses, http).endpoints());
      endpoints.addAll(new AudienceRoutes(system, catalogs, responses, http).endpoints());
      endpoints.addAll(new TransitionRoutes(feed, responses, http).endpoints());
      endpoints.addAll(subscriptions.streamRoutes().endpoints());
      endpoints.addAll(promotions.campaignRoutes().endpoints());
      endpoints.addAll(promotions.voucherRoutes().endpoints());
      endpoints.addAll(StatsRoutes.open(system, database, responses, clock).endpoints());
      endpoints.addAll(subscriptions.subscriptionRoutes().endpoints());
      PulseRoutes routes =
          new PulseRoutes(
              responses,
              new RouteTable(endpoints, keys, budgets, responses, http.retryAfter(), journal));

      ConnectionGate gate = new ConnectionGate(connectionLimits, metrics.connectionObserver());
      metrics.watch(gate);
      Duration shutdownDeadline = config.getDuration("pulse.http.shutdown-deadline");
      Tcp.ServerBinding binding =
          gate.bind(
                  system,
                  http.host(),
                  http.port(),
                  PulseRoutes.withAnswerHeaders(metrics.counting(routes.route())).flow(system))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      gate.addToCoordinatedShutdown(system, binding, shutdownDeadline);
      log.info("Pulse listening on http://{}:{}", http.host(), binding.localAddress().getPort());
      return new PulseServer(system, binding, routes);
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
