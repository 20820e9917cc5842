package io.pulse.engine.subscription;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
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
  private final String tenant;
  private final Duration interval;
  private int failures;

  private SubscriptionKeeper(
      ActorContext<Message> context,
      TimerScheduler<Message> timers,
      String tenant,
      Duration interval) {
    this.context = context;
    this.timers = timers;
    this.tenant = tenant;
    this.interval = interval;
  }

  public static void start(ActorSystem<?> system, String tenant, Duration interval) {
    system.systemActorOf(
        Behaviors.<Message>setup(
            context ->
                Behaviors.withTimers(
                    timers -> new SubscriptionKeeper(context, timers, tenant, interval).start())),
        "webhook-subscription-keeper-" + tenant,
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
    CompletionStage<SubscriptionRegistry.SubscriptionIds> ids =
        SubscriptionRegistry.refFor(system, tenant)
            .ask(SubscriptionRegistry.ListIds::new, interval.plus(RETRY));
    context.pipeToSelf(
        ids,
        (answer, failure) -> {
          if (failure != null) {
            return new Woken(false);
          }
          for (String id : answer.ids()) {
            SubscriptionEntity.refFor(system, id).tell(new SubscriptionEntity.Wake());
          }
          return new Woken(true);
        });
    return Behaviors.same();
  }

  private Behavior<Message> onWoken(Woken woken) {
    failures = woken.succeeded() ? 0 : failures + 1;
    if (failures == WARN_AFTER_FAILURES) {
      context
          .getLog()
          .warn(
              "The subscription registry did not answer {} times in a row; deliveries do not"
                  + " resume after a restart until it does",
              failures);
    }
    timers.startSingleTimer(new Tick(), woken.succeeded() ? interval : RETRY);
    return Behaviors.same();
  }
}
