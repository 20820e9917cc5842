package io.pulse.engine.subscription;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Keeps every registered subscription's delivery run going: at start, and then every {@code
 * interval}, it reads the registry and wakes each subscription, so that sharding starts it (and its
 * run) on whichever node owns it after a restart or a rebalance. Waking a running subscription
 * costs one message. Every node runs one; that is harmless, and survives the loss of any node.
 */
public final class SubscriptionKeeper {

  /** How soon to try again when the registry did not answer. */
  private static final Duration RETRY = Duration.ofSeconds(1);

  private SubscriptionKeeper() {}

  public static void start(ActorSystem<?> system, String tenant, Duration interval) {
    system.systemActorOf(
        behavior(tenant, interval), "webhook-subscription-keeper-" + tenant, Props.empty());
  }

  private sealed interface Message permits Tick, Woken {}

  private record Tick() implements Message {}

  private record Woken(boolean succeeded) implements Message {}

  private static Behavior<Message> behavior(String tenant, Duration interval) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  ActorSystem<?> system = context.getSystem();
                  context.getSelf().tell(new Tick());
                  return Behaviors.receive(Message.class)
                      .onMessage(
                          Tick.class,
                          tick -> {
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
                                    SubscriptionEntity.refFor(system, id)
                                        .tell(new SubscriptionEntity.Wake());
                                  }
                                  return new Woken(true);
                                });
                            return Behaviors.same();
                          })
                      .onMessage(
                          Woken.class,
                          woken -> {
                            if (!woken.succeeded()) {
                              context
                                  .getLog()
                                  .warn("Subscription registry did not answer; trying again");
                            }
                            timers.startSingleTimer(
                                new Tick(), woken.succeeded() ? interval : RETRY);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
