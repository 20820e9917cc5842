package io.pulse.engine.subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps every registered subscription's delivery run going: at start, and then every {@code
 * interval}, it reads the registry and wakes each subscription, so that sharding starts it (and its
 * run) on whichever node owns it after a restart or a rebalance. Waking a running subscription
 * costs one message. Every node runs one; that is harmless, and survives the loss of any node.
 */
public final class SubscriptionKeeper {

  /** How soon to try again when the registry did not answer. */
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** Not answering while the node starts or stops is normal; for longer it is worth a warning. */
  private static final int WARN_AFTER_FAILURES = 10;

  private sealed interface Message permits Tick, Woken {}

  private record Tick() implements Message {}

  private record Woken(boolean succeeded) implements Message {}

  private final ActorContext<Message> context;
  private final TimerScheduler<Message> timers;
  private final Supplier<? extends Collection<String>> tenants;
  private final Duration interval;
  private int failures;

  private SubscriptionKeeper(
      ActorContext<Message> context,
      TimerScheduler<Message> timers,
      Supplier<? extends Collection<String>> tenants,
      Duration interval) {
    this.context = context;
    this.timers = timers;
    this.tenants = tenants;
    this.interval = interval;
  }

  /** Keeps the subscriptions of every tenant in {@code tenants} (read anew each round) going. */
  public static void start(
      ActorSystem<?> system, Supplier<? extends Collection<String>> tenants, Duration interval) {
    system.systemActorOf(
        Behaviors.<Message>setup(
            context ->
                Behaviors.withTimers(
                    timers -> new SubscriptionKeeper(context, timers, tenants, interval).start())),
        "webhook-subscription-keeper",
        Props.empty());
  }

  private Behavior<Message> start() {
    context.getSelf().tell(new Tick());
    return Behaviors.receive(Message.class)
        .onMessage(Tick.class, tick -> wakeAll())
        .onMessage(Woken.class, this::onWoken)
        .build();
  }

  private Behavior<Message> wakeAll() {
    ActorSystem<?> system = context.getSystem();
    List<CompletableFuture<Void>> woken = new ArrayList<>();
    for (String tenant : tenants.get()) {
      woken.add(
          SubscriptionRegistry.refFor(system, tenant)
              .<SubscriptionRegistry.SubscriptionIds>ask(
                  SubscriptionRegistry.ListIds::new, interval.plus(RETRY))
              .thenAccept(
                  answer -> {
                    for (String id : answer.ids()) {
                      SubscriptionEntity.refFor(system, tenant, id)
                          .tell(new SubscriptionEntity.Wake());
                    }
                  })
              .toCompletableFuture());
    }
    context.pipeToSelf(
        CompletableFuture.allOf(woken.toArray(CompletableFuture[]::new)),
        (answer, failure) -> new Woken(failure == null));
    return Behaviors.same();
  }

  private Behavior<Message> onWoken(Woken woken) {
    failures = woken.succeeded() ? 0 : failures + 1;
    if (failures == WARN_AFTER_FAILURES) {
      context
          .getLog()
          .warn(
              "A subscription registry did not answer {} times in a row; deliveries do not"
                  + " resume after a restart until it does",
              failures);
    }
    timers.startSingleTimer(new Tick(), woken.succeeded() ? interval : RETRY);
    return Behaviors.same();
  }
}
