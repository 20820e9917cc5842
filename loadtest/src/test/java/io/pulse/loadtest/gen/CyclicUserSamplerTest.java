package io.pulse.loadtest.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CyclicUserSamplerTest {

  @Test
  void everyUserComesInTurnThenTheCycleStartsAgain() {
    UserSampler sampler = UserSampler.of(UserSampler.Skew.CYCLIC, 3, 1.0);
    SplittableRandom random = new SplittableRandom(1);
    List<Long> drawn = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      drawn.add(sampler.nextUserIndex(random));
    }
    assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L, 0L), drawn);
    assertEquals(3, sampler.users());
  }

  @Test
  void noUsersIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CyclicUserSampler(0));
  }
}
