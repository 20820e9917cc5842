package io.pulse.persistence.projection;

import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalFailures;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a projection's failures once each: at debug level when they only repeat that the journal
 * database is out of reach (the node says that once), as a warning otherwise. The stream's own
 * restart line, with its stack trace, is left out by the server's logging configuration.
 */
final class ProjectionFailureLog<E> extends StatusObserver<E> {

  private static final Logger log = LoggerFactory.getLogger(ProjectionFailureLog.class);

  private final JournalAvailability journal;

  ProjectionFailureLog(JournalAvailability journal) {
    this.journal = journal;
  }

  @Override
  public void failed(ProjectionId projectionId, Throwable cause) {
    if (JournalFailures.isConnectivity(cause) || !journal.isAvailable()) {
      journal.suspect();
      log.debug(
          "Projection {} failed while the journal is out of reach and starts over: {}",
          projectionId.id(),
          JournalFailures.reasonOf(cause));
    } else {
      log.warn("Projection {} failed and starts over", projectionId.id(), cause);
    }
  }

  @Override
  public void started(ProjectionId projectionId) {}

  @Override
  public void stopped(ProjectionId projectionId) {}

  @Override
  public void beforeProcess(ProjectionId projectionId, E envelope) {}

  @Override
  public void afterProcess(ProjectionId projectionId, E envelope) {}

  @Override
  public void offsetProgress(ProjectionId projectionId, E envelope) {}

  @Override
  public void error(
      ProjectionId projectionId,
      E envelope,
      Throwable cause,
      HandlerRecoveryStrategy recoveryStrategy) {}
}
