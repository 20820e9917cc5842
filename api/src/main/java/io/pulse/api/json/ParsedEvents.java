package io.pulse.api.json;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EventRefusal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events of a request that are well formed, each with its position in the request, and why the
 * others are not.
 */
public record ParsedEvents(
    List<BehaviouralEvent> valid,
    List<Integer> positions,
    List<EventRejection> rejected,
    int total,
    boolean array) {

  /**
   * Every rejection of the request: the parser's, and those the users' state refused afterwards,
   * each found at the first valid event with its id, in request order.
   */
  public List<EventRejection> rejectedWith(List<EventRefusal> refused) {
    if (refused.isEmpty()) {
      return rejected;
    }
    List<EventRejection> all = new ArrayList<>(rejected);
    boolean[] taken = new boolean[valid.size()];
    for (EventRefusal refusal : refused) {
      for (int i = 0; i < valid.size(); i++) {
        if (!taken[i] && valid.get(i).eventId().equals(refusal.eventId())) {
          taken[i] = true;
          all.add(new EventRejection(positions.get(i), refusal.reason()));
          break;
        }
      }
    }
    all.sort(Comparator.comparingInt(EventRejection::index));
    return all;
  }
}
