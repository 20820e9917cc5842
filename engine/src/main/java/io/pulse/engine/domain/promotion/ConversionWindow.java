package io.pulse.engine.domain.promotion;

import java.time.Instant;

/**
 * A purchase converts when it comes after the trigger in the journal ({@code afterOffset}) and is
 * dated no later than {@code until}, the end of the validity window the trigger opened.
 */
public record ConversionWindow(long afterOffset, Instant until) {

  public boolean contains(long offset, Instant at) {
    return offset > afterOffset && !at.isAfter(until);
  }
}
