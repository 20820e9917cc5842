package io.pulse.persistence.journal;

import com.typesafe.config.Config;
import io.pulse.persistence.JournalCircuitBreaker;
import org.apache.pekko.pattern.CircuitBreaker;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;

/**
 * The JDBC journal, reporting each change of its circuit breaker to {@link JournalCircuitBreaker}
 * so that the node can export the breaker's state.
 *
 * <p>Pekko keeps the journal's breaker private to {@code AsyncWriteJournal} and announces its
 * changes nowhere. The accessor Scala generates for that private field is public in the bytecode,
 * and is the only way to the breaker's own listeners; a Pekko release that renames it fails this
 * class's compilation, not a running node. Counting failures instead would only guess at the
 * breaker, whose timeouts and half-open trials the journal never sees.
 */
public class BreakerReportingJournal extends JdbcAsyncWriteJournal {

  public BreakerReportingJournal(Config config) {
    super(config);
    JournalCircuitBreaker state = JournalCircuitBreaker.get(context().system());
    // A restarted journal starts with a new, closed breaker.
    state.changedTo(JournalCircuitBreaker.State.CLOSED);
    CircuitBreaker breaker = org$apache$pekko$persistence$journal$AsyncWriteJournal$$breaker();
    breaker
        .addOnOpenListener(() -> state.changedTo(JournalCircuitBreaker.State.OPEN))
        .addOnHalfOpenListener(() -> state.changedTo(JournalCircuitBreaker.State.HALF_OPEN))
        .addOnCloseListener(() -> state.changedTo(JournalCircuitBreaker.State.CLOSED));
  }
}
