package io.pulse.engine.domain.watch;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.audience.EventMatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a tenant's campaigns ask its users to mark, indexed for the user entity: the watched events
 * by type, the ones that are counted, and the yearly dates, each under its key. Built once per
 * catalog revision on each node, so that an event of a type nobody watches costs one look-up and a
 * tenant without such campaigns one check.
 */
public final class Watches {

  public static final Watches NONE = new Watches(0, List.of());

  private record Watched(String key, EventMatch match, boolean counted) {}

  private final long revision;
  private final Map<String, List<Watched>> byType;
  private final Set<String> counted;
  private final Map<String, DateWatch> dates;
  private final Set<String> triggerAudiences;

  private Watches(long revision, Collection<CampaignWatch> campaigns) {
    this.revision = revision;
    Map<String, Watched> events = new LinkedHashMap<>();
    Map<String, DateWatch> byKey = new TreeMap<>();
    Set<String> audiences = new TreeSet<>();
    for (CampaignWatch campaign : campaigns) {
      if (campaign.triggerAudience() != null) {
        audiences.add(campaign.triggerAudience());
      }
      EventWatch event = campaign.event();
      if (event != null) {
        String key = event.key();
        Watched held = events.get(key);
        boolean counts = event.counted() || (held != null && held.counted());
        events.put(key, new Watched(key, event.match(), counts));
      }
      if (campaign.date() != null) {
        byKey.put(campaign.date().key(), campaign.date());
      }
    }
    Map<String, List<Watched>> types = new HashMap<>();
    Set<String> countedKeys = new TreeSet<>();
    for (Watched watched : events.values()) {
      types.computeIfAbsent(watched.match().type(), type -> new ArrayList<>(1)).add(watched);
      if (watched.counted()) {
        countedKeys.add(watched.key());
      }
    }
    types.replaceAll((type, list) -> List.copyOf(list));
    this.byType = Map.copyOf(types);
    this.counted = Collections.unmodifiableSet(countedKeys);
    this.dates = Collections.unmodifiableMap(byKey);
    this.triggerAudiences = Collections.unmodifiableSet(audiences);
  }

  /** The watches of {@code campaigns}, as of the catalog's {@code revision}. */
  public static Watches of(long revision, Collection<CampaignWatch> campaigns) {
    return new Watches(revision, campaigns);
  }

  /** The catalog revision these watches are as of. */
  public long revision() {
    return revision;
  }

  /** Whether no campaign asks users to mark anything. */
  public boolean isEmpty() {
    return byType.isEmpty() && dates.isEmpty();
  }

  /**
   * Whether a campaign is triggered by users entering or leaving {@code audience}, active or not:
   * an inactive campaign still counts the transitions it lets pass.
   */
  public boolean triggeredBy(String audience) {
    return triggerAudiences.contains(audience);
  }

  /** The keys of the watched events that users count. */
  public Set<String> counted() {
    return counted;
  }

  /** The yearly dates, by key. */
  public Map<String, DateWatch> dates() {
    return dates;
  }

  /**
   * The watches {@code event} meets, each with its number among the user's such events when it is
   * counted; {@code held} holds the user's counts before it.
   */
  public List<WatchHit> hitsOf(BehaviouralEvent event, UserWatches held) {
    List<Watched> watched = byType.get(event.type());
    if (watched == null) {
      return List.of();
    }
    List<WatchHit> hits = null;
    for (Watched each : watched) {
      if (each.match().matches(event)) {
        if (hits == null) {
          hits = new ArrayList<>(1);
        }
        hits.add(new WatchHit(each.key(), each.counted() ? held.count(each.key()) + 1 : 0));
      }
    }
    return hits == null ? List.of() : hits;
  }

  /** How many of {@code history}'s events each counted watch meets, by key. */
  Map<String, Long> countsIn(List<BehaviouralEvent> history) {
    Map<String, Long> counts = new TreeMap<>();
    counted.forEach(key -> counts.put(key, 0L));
    for (BehaviouralEvent event : history) {
      for (Watched each : byType.getOrDefault(event.type(), List.of())) {
        if (each.counted() && each.match().matches(event)) {
          counts.merge(each.key(), 1L, Long::sum);
        }
      }
    }
    return counts;
  }
}
