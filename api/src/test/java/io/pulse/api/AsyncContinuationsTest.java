package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AsyncContinuationsTest {

  @Test
  void twoCoresGetACommonPoolOfTwoWorkersSoThatContinuationsStartNoThreads() {
    Properties system = new Properties();
    AsyncContinuations.keepOnTheCommonPool(system, 2);
    assertEquals("2", system.getProperty(AsyncContinuations.COMMON_POOL_PARALLELISM));
  }

  @Test
  void oneCoreToo() {
    Properties system = new Properties();
    AsyncContinuations.keepOnTheCommonPool(system, 1);
    assertEquals("2", system.getProperty(AsyncContinuations.COMMON_POOL_PARALLELISM));
  }

  @Test
  void moreCoresKeepTheJvmDefault() {
    Properties system = new Properties();
    AsyncContinuations.keepOnTheCommonPool(system, 4);
    assertNull(system.getProperty(AsyncContinuations.COMMON_POOL_PARALLELISM));
  }

  @Test
  void anOperatorsChoiceStands() {
    Properties system = new Properties();
    system.setProperty(AsyncContinuations.COMMON_POOL_PARALLELISM, "1");
    AsyncContinuations.keepOnTheCommonPool(system, 2);
    assertEquals("1", system.getProperty(AsyncContinuations.COMMON_POOL_PARALLELISM));
  }
}
