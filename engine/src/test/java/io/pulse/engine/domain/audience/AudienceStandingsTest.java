package io.pulse.engine.domain.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.TransitionCause;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A user's standings by audience: a map that a change copies in part. */
class AudienceStandingsTest {

  // "Aa" and "BB" share a hash code, and so does every id built of them.
  private static final List<String> IDS =
      List.of("AaAa", "AaBB", "BBAa", "BBBB", "browsers", "buyers", "hot", "warm", "cold-irish");

  @Test
  void standingsChangedAtRandomHoldWhatAMapChangedAlikeHolds() {
    // given standings and a hash map, changed alike
    Random random = new Random(7);
    AudienceStandings standings = AudienceStandings.EMPTY;
    Map<String, AudienceStanding> reference = new HashMap<>();

    for (int change = 0; change < 5_000; change++) {
      String id = IDS.get(random.nextInt(IDS.size()));
      AudienceStandings before = standings;
      Map<String, AudienceStanding> referenceBefore = Map.copyOf(reference);
      if (random.nextInt(4) == 0) {
        // when a standing goes
        standings = standings.without(id);
        reference.remove(id);
      } else {
        // when a standing is set, under an id kept or a new one
        AudienceStanding standing =
            new AudienceStanding(new String(id), change, random.nextBoolean(), change, List.of());
        standings = standings.with(new String(id), standing);
        reference.put(id, standing);
      }

      // then they hold the same, are equal both ways with the same hash code, and the standings
      // they were made from did not change
      assertEquals(reference, standings, "after change " + change);
      assertEquals(standings, reference);
      assertEquals(reference.hashCode(), standings.hashCode());
      assertEquals(reference.size(), standings.size());
      assertEquals(reference.isEmpty(), standings.isEmpty());
      for (String each : IDS) {
        assertEquals(reference.get(each), standings.get(each), each);
        assertEquals(reference.containsKey(each), standings.containsKey(each), each);
      }
      assertEquals(referenceBefore, before);
    }
  }

  @Test
  void standingsKeepTheOrderTheAudiencesWereFirstStoodIn() {
    AudienceStandings standings =
        AudienceStandings.EMPTY
            .with("warm", standing("warm"))
            .with("hot", standing("hot"))
            .with("browsers", standing("browsers"))
            .with("hot", standing("hot").follow(entered("hot")))
            .without("warm")
            .with("warm", standing("warm"));

    assertEquals(List.of("hot", "browsers", "warm"), new ArrayList<>(standings.keySet()));
    assertTrue(standings.get("hot").member());
  }

  @Test
  void usersWhoFirstStoodInTheSameAudiencesInTheSameOrderShareTheirIds() {
    AudienceStandings ann = hotThenAMemberOfWarm();
    AudienceStandings bob =
        AudienceStandings.EMPTY
            .with(new String("hot"), standing("hot").follow(entered("hot")))
            .with(new String("warm"), standing("warm"));
    AudienceStandings cid =
        AudienceStandings.EMPTY.with("warm", standing("warm")).with("hot", standing("hot"));

    assertTrue(ann.sharesIdsWith(bob), "the same audiences in the same order");
    assertFalse(ann.sharesIdsWith(cid), "another order is another layout");
    assertTrue(ann.sharesIdsWith(ann.with("hot", standing("hot"))), "a change keeps the layout");
    assertTrue(ann.get("warm").member());
    assertFalse(bob.get("warm").member());
    assertEquals(List.of("warm", "hot"), new ArrayList<>(cid.keySet()));
  }

  /** A user who first stood in "hot", then in "warm", and entered "warm". */
  private static AudienceStandings hotThenAMemberOfWarm() {
    return AudienceStandings.EMPTY
        .with("hot", standing("hot"))
        .with("warm", standing("warm").follow(entered("warm")));
  }

  @Test
  void pastTheBoundUsersShareANewTreeOfLayoutsAndKeepWhatTheyHeld() {
    AudienceStandings held = hotThenAMemberOfWarm();

    // audiences stood in first by one user each, more than the tree keeps
    for (int i = 0; i <= AudienceStandings.LAYOUTS_SHARED_AT_MOST; i++) {
      AudienceStandings.EMPTY.with("first-" + i, standing("first-" + i));
    }
    AudienceStandings ann = hotThenAMemberOfWarm();
    AudienceStandings bob =
        AudienceStandings.EMPTY.with("hot", standing("hot")).with("warm", standing("warm"));

    assertFalse(held.sharesIdsWith(ann), "the tree started afresh");
    assertTrue(ann.sharesIdsWith(bob), "and is shared again");
    assertEquals(held, ann);
    assertEquals(List.of("hot", "warm"), new ArrayList<>(held.keySet()));
    assertTrue(held.get("warm").member());
  }

  @Test
  void aMapIsCopiedOnceAndStandingsAreNotCopiedAgain() {
    Map<String, AudienceStanding> stored = new LinkedHashMap<>();
    stored.put("hot", standing("hot"));
    stored.put("warm", standing("warm"));

    AudienceStandings copied = AudienceStandings.copyOf(stored);
    stored.remove("hot");

    assertEquals(2, copied.size(), "a copy, not a view");
    assertSame(copied, AudienceStandings.copyOf(copied));
    assertSame(AudienceStandings.EMPTY, AudienceStandings.copyOf(Map.of()));
    assertSame(AudienceStandings.EMPTY, copied.without("hot").without("warm"));
    assertSame(copied, copied.without("cold"));
    assertNull(copied.get(null));
    assertFalse(copied.containsKey(new SameHashAs("hot")), "a key of another kind is not an id");
  }

  @Test
  void aStoredMapThatHoldsAnIdTwiceHoldsItOnce() {
    Map<String, AudienceStanding> twice = new IdentityHashMap<>();
    twice.put(new String("hot"), standing("hot"));
    twice.put(new String("hot"), standing("hot").follow(entered("hot")));

    AudienceStandings copied = AudienceStandings.copyOf(twice);

    assertEquals(1, copied.size());
    assertEquals(List.of("hot"), new ArrayList<>(copied.keySet()));
  }

  /** A key that is not an audience id, with the hash code of one. */
  private record SameHashAs(String id) {
    @Override
    public int hashCode() {
      return id.hashCode();
    }
  }

  @Test
  void standingsRefuseNullsAndChangesInPlace() {
    Map<String, AudienceStanding> withNull = new HashMap<>();
    withNull.put("hot", null);

    assertThrows(NullPointerException.class, () -> AudienceStandings.copyOf(withNull));
    assertThrows(NullPointerException.class, () -> AudienceStandings.EMPTY.with("hot", null));
    AudienceStandings standings = AudienceStandings.EMPTY.with("hot", standing("hot"));
    assertThrows(UnsupportedOperationException.class, () -> standings.put("warm", null));
    assertThrows(UnsupportedOperationException.class, () -> standings.remove("hot"));
    assertThrows(UnsupportedOperationException.class, standings::clear);
    assertEquals(1, standings.size());
  }

  private static AudienceStanding standing(String audience) {
    return AudienceStanding.fresh(audience, 1);
  }

  private static AudienceTransition entered(String audience) {
    return new AudienceTransition(
        "ann:audience:" + audience + ":1",
        "ann",
        audience,
        null,
        AudienceTransition.MEMBER,
        AudienceFixtures.T0,
        TransitionCause.EVENT,
        1);
  }
}
