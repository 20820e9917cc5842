package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;

/**
 * How far re-scoring after a model change, or re-evaluation after an audience change, has come:
 * {@code done} of {@code total} users (total is -1 until counted). {@code model} is the model's id,
 * or the audience's when {@code audience} is set; {@code forget} marks the removal of a deleted
 * definition's standings. With {@code dates}, it is the pass that brings every user under the
 * yearly dates campaigns watch, as of catalog revision {@code version}, so that each asks to be
 * woken at its next moment.
 */
public record RescoringProgress(
    String model,
    long version,
    boolean forget,
    long done,
    long total,
    boolean finished,
    boolean audience,
    boolean dates)
    implements CborSerializable {

  /** The name of the pass over the users for the dates campaigns watch. */
  public static final String DATES = "dates";

  /** The progress of a model's re-scoring. */
  public RescoringProgress(
      String model, long version, boolean forget, long done, long total, boolean finished) {
    this(model, version, forget, done, total, finished, false, false);
  }

  /** The progress of a model's re-scoring or an audience's re-evaluation. */
  public RescoringProgress(
      String model,
      long version,
      boolean forget,
      long done,
      long total,
      boolean finished,
      boolean audience) {
    this(model, version, forget, done, total, finished, audience, false);
  }

  static RescoringProgress started(String model, long version, boolean forget) {
    return new RescoringProgress(model, version, forget, 0, -1, false, false);
  }

  static RescoringProgress startedForAudience(String audience, long version, boolean forget) {
    return new RescoringProgress(audience, version, forget, 0, -1, false, true);
  }

  static RescoringProgress startedForDates(long revision) {
    return new RescoringProgress(DATES, revision, false, 0, -1, false, false, true);
  }

  /** Where the registry keeps it: models and audiences may share an id. */
  public String key() {
    return dates ? "watches:" + DATES : keyOf(model, audience);
  }

  static String keyOf(String id, boolean audience) {
    return audience ? "audience:" + id : id;
  }

  /** The same progress, moved on. */
  public RescoringProgress progressed(long newDone, long newTotal, boolean nowFinished) {
    return new RescoringProgress(
        model, version, forget, newDone, newTotal, nowFinished, audience, dates);
  }
}
