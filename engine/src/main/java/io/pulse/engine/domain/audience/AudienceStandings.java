package io.pulse.engine.domain.audience;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A user's standings by audience id: an immutable map kept as arrays, in the order the audiences
 * were first stood in. A user's audiences change on most events (a hit remembered, a membership
 * changed): a change copies three small arrays, where a hash map would copy every entry into a
 * mutable map and then into an immutable one. A lookup compares hash codes kept in an array before
 * it reads an id, since a user is seldom in the processor's cache when an event arrives.
 *
 * <p>Equal to any map with the same entries, and stored as any map is.
 */
final class AudienceStandings extends AbstractMap<String, AudienceStanding> {

  static final AudienceStandings EMPTY =
      new AudienceStandings(new String[0], new int[0], new AudienceStanding[0]);

  private final String[] ids;
  private final int[] hashes;
  private final AudienceStanding[] standings;

  private AudienceStandings(String[] ids, int[] hashes, AudienceStanding[] standings) {
    this.ids = ids;
    this.hashes = hashes;
    this.standings = standings;
  }

  /**
   * {@code map} as standings: itself when it already is; refuses a null id or standing, as
   * Map.copyOf does. Read from a stored form, so built entry by entry, an id held twice once.
   */
  static AudienceStandings copyOf(Map<String, AudienceStanding> map) {
    if (map instanceof AudienceStandings own) {
      return own;
    }
    AudienceStandings copied = EMPTY;
    for (Map.Entry<String, AudienceStanding> entry : map.entrySet()) {
      copied = copied.with(Objects.requireNonNull(entry.getKey(), "audience id"), entry.getValue());
    }
    return copied;
  }

  /** These standings with {@code standing} for {@code id}, in its place if it had one. */
  AudienceStandings with(String id, AudienceStanding standing) {
    Objects.requireNonNull(standing, "standing");
    int hash = id.hashCode();
    int index = indexOf(id, hash);
    if (index >= 0) {
      AudienceStanding[] replaced = standings.clone();
      replaced[index] = standing;
      return new AudienceStandings(ids, hashes, replaced);
    }
    int size = ids.length;
    String[] grownIds = Arrays.copyOf(ids, size + 1);
    int[] grownHashes = Arrays.copyOf(hashes, size + 1);
    AudienceStanding[] grown = Arrays.copyOf(standings, size + 1);
    grownIds[size] = id;
    grownHashes[size] = hash;
    grown[size] = standing;
    return new AudienceStandings(grownIds, grownHashes, grown);
  }

  /**
   * These standings without {@code id}'s; rare (an audience deleted), so rebuilt entry by entry.
   */
  AudienceStandings without(String id) {
    int index = indexOf(id, id.hashCode());
    if (index < 0) {
      return this;
    }
    AudienceStandings kept = EMPTY;
    for (int i = 0; i < ids.length; i++) {
      if (i != index) {
        kept = kept.with(ids[i], standings[i]);
      }
    }
    return kept;
  }

  private int indexOf(Object id, int hash) {
    for (int i = 0; i < hashes.length; i++) {
      if (hashes[i] == hash && ids[i].equals(id)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public AudienceStanding get(Object id) {
    if (id == null) {
      return null;
    }
    int index = indexOf(id, id.hashCode());
    return index < 0 ? null : standings[index];
  }

  @Override
  public boolean containsKey(Object id) {
    return get(id) != null;
  }

  @Override
  public int size() {
    return ids.length;
  }

  @Override
  public boolean isEmpty() {
    return ids.length == 0;
  }

  @Override
  public Set<Map.Entry<String, AudienceStanding>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, AudienceStanding>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < ids.length;
          }

          @Override
          public Map.Entry<String, AudienceStanding> next() {
            if (next >= ids.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, AudienceStanding> entry =
                new AbstractMap.SimpleImmutableEntry<>(ids[next], standings[next]);
            next++;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return ids.length;
      }
    };
  }
}
