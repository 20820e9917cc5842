package io.pulse.api;

import java.util.Properties;

/**
 * Where asynchronous continuations run. Scala's CompletionStage view of a future (every ask and
 * every journal call that Pekko hands to Java) runs each continuation asynchronously on the default
 * executor of {@link java.util.concurrent.CompletableFuture}: the common fork-join pool, unless
 * that pool has a single worker, as it has on two cores, in which case every continuation starts a
 * thread of its own (about 150 a second under load). Two workers keep them on the pool.
 */
final class AsyncContinuations {

  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** The fewest workers with which CompletableFuture uses the common pool at all. */
  static final int FEWEST_POOLED_WORKERS = 2;

  private AsyncContinuations() {}

  /**
   * Gives the common pool at least two workers unless the operator chose a parallelism. Must run
   * before anything touches CompletableFuture or the common pool: both read it once.
   */
  static void keepOnTheCommonPool(Properties system, int processors) {
    if (system.getProperty(COMMON_POOL_PARALLELISM) == null
        && processors - 1 < FEWEST_POOLED_WORKERS) {
      system.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(FEWEST_POOLED_WORKERS));
    }
  }
}
