package io.pulse.engine.user;

import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The answer a user entity owes for its write in flight should the journal fail it. The entity then
 * stops, and a command that never hears back keeps its sender waiting for a timeout (ingestion 10
 * s, a wake-up round 30 s) long after the database is back; answered at once, the events' request
 * gets its 503 and the wake-up is tried again in the next round.
 */
final class WriteInFlight {

  private Runnable answerOnFailure;

  /** The parts of {@code command} are being written. */
  void recording(UserEntity.RecordParts command) {
    answerOnFailure =
        () -> {
          // Not confirmed, like a part past its deadline: the request fails, and its client
          // retries with the same event ids, which the entity recognises if the write did land.
          List<UserEntity.Recorded> unconfirmed =
              command.parts().stream()
                  .map(part -> UserEntity.Recorded.expired(part.correlationId()))
                  .toList();
          command.replyTo().tell(new UserEntity.PartsRecorded(command.entityId(), unconfirmed));
        };
  }

  /** The changes a wake-up found are being written. */
  void wakingUp(ActorRef<StatusReply<Done>> replyTo) {
    answerOnFailure =
        () ->
            replyTo.tell(
                StatusReply.<Done>error("the journal did not confirm the wake-up's changes"));
  }

  /** The write in flight is durable: nothing is owed any more. */
  void confirmed() {
    answerOnFailure = null;
  }

  /** The journal failed the write in flight: answer its sender now. */
  void failed() {
    Runnable answer = answerOnFailure;
    answerOnFailure = null;
    if (answer != null) {
      answer.run();
    }
  }
}
