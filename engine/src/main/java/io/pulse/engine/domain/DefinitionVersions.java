package io.pulse.engine.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * The versions of stored definitions that something following them was told of, by id (the
 * registry's campaign watches, the campaign directory), so that of two definitions stored
 * concurrently the one stored last is kept, whatever order they are told in. Version 0 is a
 * definition about to be stored, or one whose version is not known: never older, never recorded.
 */
public final class DefinitionVersions {

  private DefinitionVersions() {}

  /** Whether {@code version} of {@code id} is older than one already told of: it is ignored. */
  public static boolean isOlder(Map<String, Long> known, String id, long version) {
    return version > 0 && version < known.getOrDefault(id, 0L);
  }

  /**
   * Whether telling {@code version} of {@code id} changes nothing: what it asks for is held already
   * ({@code held}) and it is no newer than the version told of. A newer version is recorded even
   * then, so that an older one told later cannot replace it.
   */
  public static boolean changesNothing(
      Map<String, Long> known, String id, long version, boolean held) {
    return held && version <= known.getOrDefault(id, 0L);
  }

  /** {@code known} with {@code version} of {@code id} recorded, when it is newer. */
  public static Map<String, Long> after(Map<String, Long> known, String id, long version) {
    if (version <= known.getOrDefault(id, 0L)) {
      return known;
    }
    Map<String, Long> updated = new TreeMap<>(known);
    updated.put(id, version);
    return updated;
  }
}
