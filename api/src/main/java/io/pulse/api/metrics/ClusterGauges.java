package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The cluster as this node sees it: members by status and the unreachable ones, read from the
 * node's membership state at each scrape.
 */
final class ClusterGauges {

  private ClusterGauges() {}

  /** Every member status, by the name the metric gives it. */
  private static Map<String, MemberStatus> statuses() {
    Map<String, MemberStatus> statuses = new LinkedHashMap<>();
    statuses.put("joining", MemberStatus.joining());
    statuses.put("weakly-up", MemberStatus.weaklyUp());
    statuses.put("up", MemberStatus.up());
    statuses.put("preparing-for-shutdown", MemberStatus.shuttingDown());
    statuses.put("ready-for-shutdown", MemberStatus.shutDown());
    statuses.put("leaving", MemberStatus.leaving());
    statuses.put("exiting", MemberStatus.exiting());
    statuses.put("down", MemberStatus.down());
    statuses.put("removed", MemberStatus.removed());
    return statuses;
  }

  static void register(ActorSystem<?> system, MeterRegistry registry) {
    Cluster cluster = Cluster.get(system);
    statuses()
        .forEach(
            (name, status) ->
                Gauge.builder("pulse.cluster.members", cluster, c -> membersWith(c.state(), status))
                    .description("Cluster members this node sees, by status")
                    .tag("status", name)
                    .register(registry));
    Gauge.builder(
            "pulse.cluster.unreachable.members", cluster, c -> c.state().getUnreachable().size())
        .description("Cluster members this node's failure detector finds unreachable")
        .register(registry);
  }

  private static long membersWith(ClusterEvent.CurrentClusterState state, MemberStatus status) {
    return StreamSupport.stream(state.getMembers().spliterator(), false)
        .filter(member -> member.status().equals(status))
        .count();
  }
}
