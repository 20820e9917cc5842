package io.pulse.api.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** HTTP settings of the server, from {@code pulse.http}. */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    int maxEventsPerRequest,
    Duration askTimeout,
    Duration retryAfter,
    int maxTransitionsPerPage) {

  public static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("pulse.http");
    return new HttpSettings(
        http.getString("host"),
        http.getInt("port"),
        http.getBytes("max-body-size"),
        http.getInt("max-events-per-request"),
        http.getDuration("ask-timeout"),
        http.getDuration("retry-after"),
        http.getInt("max-transitions-per-page"));
  }
}
