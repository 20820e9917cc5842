package io.pulse.engine.domain.watch;

import java.util.Objects;

/**
 * An accepted event that a campaign watches: the watch's key and, when the watch counts, which of
 * the user's such events it is (1 for the first); 0 for a watch that does not count. Journaled with
 * the event, so that the campaigns need no count of their own and the user's count is recovered
 * from the journal alone.
 */
public record WatchHit(String watch, long occurrence) {

  public WatchHit {
    Objects.requireNonNull(watch, "watch");
  }
}
