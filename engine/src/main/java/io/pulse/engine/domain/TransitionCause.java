package io.pulse.engine.domain;

import java.util.Locale;

/** Why a user's band changed. */
public enum TransitionCause {
  EVENT,
  DECAY,
  INACTIVITY,
  MODEL_CHANGE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
