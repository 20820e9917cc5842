package io.pulse.persistence;

import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalFailures;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.japi.function.Creator;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams that read the journal database and start over when they fail. While the node finds the
 * journal unavailable, a stream that starts over waits for it rather than failing again and again,
 * so it resumes the moment the database answers, not after a backoff grown through the outage; and
 * its failure is logged once, at debug level when it only repeats that the database is gone.
 */
public final class JournalStreams {

  private static final Logger log = LoggerFactory.getLogger(JournalStreams.class);

  private JournalStreams() {}

  /**
   * {@code source}, started over with {@code restart}'s backoff whenever it fails; {@code name}
   * says in the log which stream failed.
   */
  public static <T> Source<T, NotUsed> restarting(
      ActorSystem<?> system, String name, RestartSettings restart, Creator<Source<T, ?>> source) {
    JournalAvailability journal = JournalAvailability.get(system);
    // The restart itself is logged by the stream at debug level; the failure below, once.
    RestartSettings quiet =
        restart.withLogSettings(RestartSettings.createLogSettings(Logging.DebugLevel()));
    return RestartSource.withBackoff(
        quiet,
        () ->
            Source.completionStage(journal.whenAvailable())
                .flatMapConcat(available -> source.create())
                .watchTermination(
                    (notUsed, done) -> {
                      done.whenComplete(
                          (finished, failure) -> {
                            if (failure != null) {
                              logFailure(system, journal, name, failure);
                            }
                          });
                      return notUsed;
                    }));
  }

  private static void logFailure(
      ActorSystem<?> system, JournalAvailability journal, String name, Throwable failure) {
    if (failure instanceof AbruptStageTerminationException
        || CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
      // The node stops, and its streams with it: nothing failed that an operator should look at.
      log.debug("{} stopped with the node: {}", name, failure.toString());
    } else if (failure instanceof FellBehindException behind) {
      // A reader slower than the live read for a while: expected under load, and it loses nothing.
      log.info(
          "{} fell behind the live read and starts over after offset {}",
          name,
          behind.resumeAfter());
    } else if (JournalFailures.isConnectivity(failure) || !journal.isAvailable()) {
      journal.suspect();
      log.debug("{} failed while the journal is out of reach and starts over: {}", name, failure);
    } else {
      log.warn("{} failed and starts over", name, failure);
    }
  }
}
