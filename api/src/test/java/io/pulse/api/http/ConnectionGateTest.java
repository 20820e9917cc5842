package io.pulse.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission and release of connection slots, without a server. */
class ConnectionGateTest {

  private static final ConnectionLimits LIMITS =
      new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 5, 2);

  private final ConnectionGate gate = new ConnectionGate(LIMITS, ConnectionObserver.NONE);

  @Test
  void aClientGetsNoMoreSlotsThanItsCapWhileOthersStillDo() throws Exception {
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    InetAddress other = InetAddress.getByName("127.0.0.1");

    ConnectionGate.Ticket first = admitted(gate.admit(attacker));
    admitted(gate.admit(attacker));
    ConnectionGate.Admission third = gate.admit(attacker);

    assertEquals(
        ConnectionGate.Refusal.CLIENT_LIMIT,
        assertInstanceOf(ConnectionGate.Admission.Refused.class, third).reason());
    admitted(gate.admit(other));
    assertEquals(3, gate.openConnections());
    assertEquals(2, gate.openConnections(attacker));

    gate.release(first);
    admitted(gate.admit(attacker));
    assertEquals(2, gate.openConnections(attacker));
  }

  @Test
  void theNodeCapRefusesEveryClientOnceReached() throws Exception {
    for (int i = 1; i <= 5; i++) {
      admitted(gate.admit(InetAddress.getByName("10.0.0." + i)));
    }

    ConnectionGate.Admission sixth = gate.admit(InetAddress.getByName("10.0.0.6"));

    assertEquals(
        ConnectionGate.Refusal.NODE_LIMIT,
        assertInstanceOf(ConnectionGate.Admission.Refused.class, sixth).reason());
    assertEquals(5, gate.openConnections());
    assertEquals(0, gate.openConnections(InetAddress.getByName("10.0.0.6")));
  }

  @Test
  void aSlotIsGivenBackOnceHoweverOftenItIsReleased() throws Exception {
    InetAddress client = InetAddress.getByName("127.0.0.3");
    ConnectionGate.Ticket ticket = admitted(gate.admit(client));
    admitted(gate.admit(client));

    gate.release(ticket);
    gate.release(ticket);

    assertEquals(1, gate.openConnections());
    assertEquals(1, gate.openConnections(client));
  }

  @Test
  void ipv6AddressesOfOneSlash64AreOneClient() throws Exception {
    InetAddress one = InetAddress.getByName("2001:db8:1:2::1");
    InetAddress sameNetwork = InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff");
    InetAddress nextNetwork = InetAddress.getByName("2001:db8:1:3::1");

    admitted(gate.admit(one));
    admitted(gate.admit(sameNetwork));

    assertInstanceOf(ConnectionGate.Admission.Refused.class, gate.admit(sameNetwork));
    admitted(gate.admit(nextNetwork));
    assertEquals(InetAddress.getByName("2001:db8:1:2::"), ConnectionGate.client(one));
  }

  @Test
  void aDrainingGateRefusesNewConnectionsAndCompletesWhenTheOpenOnesClose() throws Exception {
    ConnectionGate.Ticket ticket = admitted(gate.admit(InetAddress.getByName("127.0.0.1")));
    Duration[] asked = new Duration[1];
    ticket.onDrain(deadline -> asked[0] = deadline);

    var drained = gate.drain(Duration.ofSeconds(10)).toCompletableFuture();

    assertEquals(Duration.ofSeconds(10), asked[0]);
    assertEquals(
        ConnectionGate.Refusal.SHUTTING_DOWN,
        assertInstanceOf(
                ConnectionGate.Admission.Refused.class,
                gate.admit(InetAddress.getByName("127.0.0.4")))
            .reason());
    assertFalse(drained.isDone());
    gate.release(ticket);
    drained.get(1, TimeUnit.SECONDS);
  }

  @Test
  void aConnectionThatStartsAfterTheDrainBeganIsToldAtOnce() throws Exception {
    ConnectionGate.Ticket ticket = admitted(gate.admit(InetAddress.getByName("127.0.0.1")));
    gate.drain(Duration.ofSeconds(3));

    Duration[] asked = new Duration[1];
    ticket.onDrain(deadline -> asked[0] = deadline);

    assertEquals(Duration.ofSeconds(3), asked[0]);
  }

  @Test
  void limitsComeFromConfigAndAHeartbeatSlowerThanTheIdleTimeoutIsRefused() {
    var config =
        ConfigFactory.parseMap(Map.of("pulse.transitions.stream.heartbeat-interval", "15s"))
            .withFallback(ConfigFactory.defaultReference());
    assertEquals(
        new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 4096, 256),
        ConnectionLimits.fromConfig(config));

    var quietStreams =
        ConfigFactory.parseMap(
                Map.of(
                    "pulse.transitions.stream.heartbeat-interval", "30s",
                    "pulse.http.idle-timeout", "30s"))
            .withFallback(config);
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> ConnectionLimits.fromConfig(quietStreams));
    assertTrue(refused.getMessage().contains("heartbeat-interval"), refused.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 10, 11));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ConnectionLimits(Duration.ZERO, Duration.ofSeconds(30), 10, 1));
  }

  private static ConnectionGate.Ticket admitted(ConnectionGate.Admission admission) {
    return assertInstanceOf(ConnectionGate.Admission.Admitted.class, admission).ticket();
  }
}
