package io.pulse.engine.domain;

import java.util.List;

/**
 * What a group of incoming events does to a user: the changes to journal, in order, the state after
 * them, how many events were accepted or recognised as duplicates, and the ones refused (an
 * identify event whose traits the user cannot take).
 */
public record Recording(
    UserEngagement state,
    List<EngagementChange> changes,
    int accepted,
    int duplicates,
    List<EventRefusal> refused) {

  public Recording {
    changes = List.copyOf(changes);
    refused = refused == null ? List.of() : List.copyOf(refused);
  }

  /** A recording that refused no event. */
  public Recording(
      UserEngagement state, List<EngagementChange> changes, int accepted, int duplicates) {
    this(state, changes, accepted, duplicates, List.of());
  }

  /** How many of the changes are band transitions, without collecting them. */
  public int transitionCount() {
    int count = 0;
    for (EngagementChange change : changes) {
      if (change instanceof SegmentTransition) {
        count++;
      }
    }
    return count;
  }

  public List<SegmentTransition> transitions() {
    return changes.stream()
        .filter(SegmentTransition.class::isInstance)
        .map(SegmentTransition.class::cast)
        .toList();
  }
}
