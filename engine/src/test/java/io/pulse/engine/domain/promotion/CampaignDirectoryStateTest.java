package io.pulse.engine.domain.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which trigger the directory lists for a campaign when definitions are stored concurrently. */
class CampaignDirectoryStateTest {

  private static final Trigger HIGH = Trigger.entered("engagement", "high");
  private static final Trigger LOW = Trigger.entered("engagement", "low");

  private static CampaignDirectoryState list(
      CampaignDirectoryState state, Trigger trigger, long version) {
    return state.list("offer", trigger, version).map(state::apply).orElse(state);
  }

  @Test
  void theTriggerOfTheNewestStoredVersionStaysWhateverOrderTheListingsArriveIn() {
    CampaignDirectoryState newestLast = list(list(CampaignDirectoryState.EMPTY, LOW, 1), HIGH, 2);
    CampaignDirectoryState newestFirst = list(list(CampaignDirectoryState.EMPTY, HIGH, 2), LOW, 1);

    assertEquals(Map.of("offer", HIGH), newestLast.campaigns());
    assertEquals(Map.of("offer", HIGH), newestFirst.campaigns());
  }

  @Test
  void aNewerVersionWithTheSameTriggerIsRecordedSoThatAnOlderOneCannotReplaceIt() {
    CampaignDirectoryState state = list(CampaignDirectoryState.EMPTY, HIGH, 0);
    state = list(state, HIGH, 3);
    assertEquals(Map.of("offer", 3L), state.versions());

    assertEquals(Optional.empty(), state.list("offer", LOW, 2));
    assertEquals(Optional.empty(), state.list("offer", HIGH, 3), "already so listed");
    assertTrue(state.list("offer", LOW, 4).isPresent());
  }

  @Test
  void aListingWithoutAVersionIsTakenAsBefore() {
    CampaignDirectoryState state = list(list(CampaignDirectoryState.EMPTY, LOW, 2), HIGH, 0);
    assertEquals(Map.of("offer", HIGH), state.campaigns());
    assertEquals(Map.of("offer", 2L), state.versions());
  }
}
