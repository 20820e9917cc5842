package io.pulse.engine.domain;

import java.util.List;

/**
 * What a group of incoming events does to a user: the changes to journal, in order, the state after
 * them, and how many events were accepted or recognised as duplicates.
 */
public record Recording(
    UserEngagement state, List<EngagementChange> changes, int accepted, int duplicates) {

  public Recording {
    changes = List.copyOf(changes);
  }

  public List<SegmentTransition> transitions() {
    return changes.stream()
        .filter(SegmentTransition.class::isInstance)
        .map(SegmentTransition.class::cast)
        .toList();
  }
}
