package io.pulse.engine.journal;

/**
 * The journal database does not answer, so the work was refused at once, or given up without
 * waiting for a confirmation that cannot come; the client retries later.
 */
public final class JournalUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient JournalStatus status;

  /** Refused before anything was written. */
  public JournalUnavailableException(JournalStatus status) {
    this(status, "the journal database is unavailable (" + status.reason() + ")");
  }

  /** Given up, with {@code message} saying what may or may not have been written. */
  public JournalUnavailableException(JournalStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public JournalStatus status() {
    return status;
  }
}
