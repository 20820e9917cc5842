package io.pulse.engine.domain.promotion;

import java.util.Locale;

/** Whether a campaign fires when a user enters its bands or when a user leaves them. */
public enum TriggerDirection {
  ENTERED,
  EXITED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
