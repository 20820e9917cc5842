package io.pulse.api.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * What one node allows its HTTP connections, from {@code pulse.http}: how long a new connection may
 * take to deliver its first request head, how long a keep-alive connection may wait between
 * requests, and how many connections the node and each client may hold open.
 */
public record ConnectionLimits(
    Duration headerReadTimeout,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerClient) {

  public ConnectionLimits {
    requirePositive("pulse.http.header-read-timeout", headerReadTimeout);
    requirePositive("pulse.http.idle-timeout", idleTimeout);
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "pulse.http.max-connections must be at least 1, was " + maxConnections);
    }
    if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
      throw new IllegalArgumentException(
          "pulse.http.max-connections-per-client must be between 1 and pulse.http.max-connections ("
              + maxConnections
              + "), was "
              + maxConnectionsPerClient);
    }
  }

  /**
   * The limits in {@code config}. A transition stream is a response that may stay quiet for long;
   * only its heartbeat keeps the idle timeout from closing it, so a heartbeat that is not more
   * frequent than the idle timeout is a configuration error.
   */
  public static ConnectionLimits fromConfig(Config config) {
    Config http = config.getConfig("pulse.http");
    ConnectionLimits limits =
        new ConnectionLimits(
            http.getDuration("header-read-timeout"),
            http.getDuration("idle-timeout"),
            http.getInt("max-connections"),
            http.getInt("max-connections-per-client"));
    Duration heartbeat = config.getDuration("pulse.transitions.stream.heartbeat-interval");
    if (heartbeat.compareTo(limits.idleTimeout()) >= 0) {
      throw new IllegalArgumentException(
          "pulse.transitions.stream.heartbeat-interval ("
              + heartbeat
              + ") must be shorter than pulse.http.idle-timeout ("
              + limits.idleTimeout()
              + "), or quiet transition streams are closed as idle");
    }
    return limits;
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
  }
}
