package io.pulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The local three-node cluster: each node has its own HTTP, remoting and management port, the seed
 * nodes are nodes 1 and 2 on loopback, and a killed node is downed within seconds.
 */
class LocalClusterConfigTest {

  private static Config node(int number) {
    return ConfigFactory.parseResources("local-cluster-node" + number + ".conf")
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .resolve(ConfigResolveOptions.noSystem());
  }

  @Test
  void everyNodeHasItsOwnPorts() {
    Set<Integer> ports = new HashSet<>();
    for (int number = 1; number <= 3; number++) {
      Config node = node(number);
      assertEquals(8080 + number, node.getInt("pulse.http.port"));
      assertEquals(25520 + number, node.getInt("pekko.remote.artery.canonical.port"));
      assertEquals(7625 + number, node.getInt("pekko.management.http.port"));
      ports.add(node.getInt("pulse.http.port"));
      ports.add(node.getInt("pekko.remote.artery.canonical.port"));
      ports.add(node.getInt("pekko.management.http.port"));
    }
    assertEquals(9, ports.size(), "nine distinct ports: " + ports);
  }

  @Test
  void nodesOneAndTwoAreTheSeedsOnLoopback() {
    List<String> expected =
        IntStream.of(1, 2)
            .mapToObj(
                number ->
                    "pekko://pulse@127.0.0.1:"
                        + node(number).getInt("pekko.remote.artery.canonical.port"))
            .toList();
    for (int number = 1; number <= 3; number++) {
      Config node = node(number);
      assertEquals(expected, node.getStringList("pekko.cluster.seed-nodes"));
      assertEquals("127.0.0.1", node.getString("pekko.remote.artery.canonical.hostname"));
      assertEquals("127.0.0.1", node.getString("pekko.management.http.hostname"));
      assertFalse(node.getBoolean("pulse.cluster.join-self"), "seed nodes form the cluster");
      assertTrue(node.getBoolean("pulse.cluster.management"));
    }
  }

  @Test
  void aKilledNodeIsDownedWithinSeconds() {
    Config node = node(1);
    assertEquals(
        "keep-majority", node.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    long detect =
        node.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause").toSeconds();
    long stable = node.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds();
    assertTrue(
        detect + stable <= 10, "unreachable after ~" + detect + "s, downed " + stable + "s later");
  }

  @Test
  void everyFileIncludesTheServerSettings() throws Exception {
    for (String resource : List.of("local-cluster.conf", "kubernetes.conf")) {
      String text =
          new String(
              getClass().getClassLoader().getResourceAsStream(resource).readAllBytes(),
              java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(text.contains("include \"application\""), resource);
    }
  }

  @Test
  void theScriptIsThere() {
    Path script = Path.of(System.getProperty("basedir", "."), "bin", "local-cluster.sh");
    assertTrue(Files.isRegularFile(script) && Files.isExecutable(script), script.toString());
  }
}
