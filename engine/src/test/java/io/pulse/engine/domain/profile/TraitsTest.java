package io.pulse.engine.domain.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.TraitsChanged;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's traits under JSON merge patches (RFC 7396), within their bounds. */
class TraitsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Traits patched(Traits traits, Map<String, Object> patch) {
    Traits.Patched result = traits.patch(patch, TraitLimits.DEFAULTS, T0);
    assertTrue(result.problems().isEmpty(), result.problems().toString());
    return traits.apply(result.change());
  }

  @Test
  void aValueSetsATraitAndNullRemovesIt() {
    Traits traits =
        patched(
            Traits.NONE,
            Map.of(
                "country",
                "IE",
                "seats",
                12,
                "vip",
                true,
                "tags",
                List.of("a", "b"),
                "birthday",
                "1990-03-17"));
    assertEquals(12.0, traits.values().get("seats"));
    assertEquals(LocalDate.of(1990, 3, 17), traits.dateOf("birthday").orElseThrow());
    Map<String, Object> patch = new HashMap<>();
    patch.put("country", null);
    patch.put("vip", false);
    traits = patched(traits, patch);
    assertEquals(false, traits.values().get("vip"));
    assertTrue(traits.get("country").isEmpty());
    assertEquals(4, traits.values().size());
  }

  @Test
  void anUnchangedValueIsNoChange() {
    Traits traits = patched(Traits.NONE, Map.of("country", "IE"));
    TraitsChanged change = traits.patch(Map.of("country", "IE"), TraitLimits.DEFAULTS, T0).change();
    assertTrue(change.isEmpty());
  }

  @Test
  void everyBoundIsAProblemNamingTheTrait() {
    TraitLimits limits = new TraitLimits(3, 8, 16);
    assertEquals(
        List.of("traits.nested must be a string, a number, a boolean, a date or a list of strings"),
        Traits.NONE.patch(Map.of("nested", Map.of("a", 1)), limits, T0).problems());
    assertEquals(
        List.of("traits.tags must be a list of strings"),
        Traits.NONE.patch(Map.of("tags", List.of("a", 1)), limits, T0).problems());
    assertEquals(
        List.of("traits.long may have at most 16 bytes"),
        Traits.NONE.patch(Map.of("long", "x".repeat(17)), limits, T0).problems());
    assertEquals(
        List.of("traits.toolongname: a trait name may have at most 8 characters"),
        Traits.NONE.patch(Map.of("toolongname", "x"), limits, T0).problems());
    assertEquals(
        List.of("traits: a user may have at most 3 traits; this makes 4"),
        Traits.NONE.patch(Map.of("a", 1, "b", 2, "c", 3, "d", 4), limits, T0).problems());
    assertEquals(
        List.of("traits.n must be a finite number"),
        Traits.NONE.patch(Map.of("n", Double.NaN), limits, T0).problems());
  }

  @Test
  void datesAndDateTimesAreReadAsInstants() {
    Traits traits =
        patched(Traits.NONE, Map.of("a", "2026-03-17", "b", "2026-03-17T09:30:00+01:00"));
    assertEquals(Instant.parse("2026-03-17T00:00:00Z"), traits.instantOf("a").orElseThrow());
    assertEquals(Instant.parse("2026-03-17T08:30:00Z"), traits.instantOf("b").orElseThrow());
    assertTrue(patched(traits, Map.of("c", "not a date")).instantOf("c").isEmpty());
  }
}
