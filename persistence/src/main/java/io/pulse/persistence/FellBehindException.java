package io.pulse.persistence;

/**
 * A consumer of a {@link LiveTagFeed} read too slowly and was cut off; it resumes without loss by
 * reading again after {@link #resumeAfter()}, the offset of the last event it was given.
 */
public final class FellBehindException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long resumeAfter;

  public FellBehindException(long resumeAfter) {
    super("fell behind the live feed; resume after offset " + resumeAfter, null, false, false);
    this.resumeAfter = resumeAfter;
  }

  public long resumeAfter() {
    return resumeAfter;
  }
}
