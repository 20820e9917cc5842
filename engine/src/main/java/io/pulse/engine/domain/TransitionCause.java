package io.pulse.engine.domain;

import java.util.Locale;

/** Why a user's band, or an audience membership, changed. */
public enum TransitionCause {
  EVENT,
  DECAY,
  INACTIVITY,
  MODEL_CHANGE,
  /** A window or a wait ran out, or a date passed, with no event: audiences. */
  TIME,
  /** A trait changed: audiences. */
  TRAIT,
  /** An audience's definition changed or it was deleted. */
  DEFINITION_CHANGE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
