package io.pulse.persistence.testing;

import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.user.JournalTags;
import io.pulse.engine.user.UserEntity;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * A test-only user that journals exactly the changes a test scripts, under the user entity's
 * persistence id and tags, so that the read side sees what it would see from real users.
 */
public final class ScriptedUser
    extends EventSourcedBehavior<ScriptedUser.Journal, EngagementChange, Integer> {

  private static final JournalTags TAGS = JournalTags.of("default");

  /** Journals {@code changes} and answers once they are durable. */
  public record Journal(List<EngagementChange> changes, ActorRef<Done> replyTo) {}

  private ScriptedUser(String userId) {
    super(UserEntity.persistenceIdOf("default|" + userId));
  }

  public static Behavior<Journal> create(String userId) {
    return new ScriptedUser(userId);
  }

  @Override
  public Integer emptyState() {
    return 0;
  }

  @Override
  public CommandHandler<Journal, EngagementChange, Integer> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Journal.class,
            (journaled, command) ->
                Effect()
                    .persist(command.changes())
                    .thenRun(state -> command.replyTo().tell(Done.getInstance())))
        .build();
  }

  @Override
  public EventHandler<Integer, EngagementChange> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((count, change) -> count + 1);
  }

  @Override
  public Set<String> tagsFor(EngagementChange change) {
    return TAGS.tagsOf(change);
  }
}
