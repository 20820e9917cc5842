package io.pulse.engine.domain.profile;

/**
 * How much a user's traits may hold: how many, how long a key, how large a value (a string's, or a
 * list's strings together, in UTF-8 bytes).
 */
public record TraitLimits(int maxTraits, int maxKeyLength, int maxValueBytes) {

  /** The defaults: 256 traits, keys of 128 characters, values of 1 KiB. */
  public static final TraitLimits DEFAULTS = new TraitLimits(256, 128, 1024);

  public TraitLimits {
    if (maxTraits < 1 || maxKeyLength < 1 || maxValueBytes < 1) {
      throw new IllegalArgumentException("trait limits must be positive");
    }
  }
}
