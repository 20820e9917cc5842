package io.pulse.persistence;

import java.util.Optional;

/**
 * A read side that follows one journal tag and stores how far it has read: under its name in {@code
 * pulse_read_offset}, or, for a Pekko projection, under its name and {@code projectionKey} in the
 * projection offset store.
 */
public record ReadSide(String reader, String tag, Optional<String> projectionKey) {

  /** A reader that keeps its offset in {@code pulse_read_offset}. */
  public static ReadSide stored(String reader, String tag) {
    return new ReadSide(reader, tag, Optional.empty());
  }

  /** A Pekko projection that follows {@code tag}. */
  public static ReadSide projection(String name, String key, String tag) {
    return new ReadSide(name, tag, Optional.of(key));
  }
}
