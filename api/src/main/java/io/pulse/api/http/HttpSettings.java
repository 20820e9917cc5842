package io.pulse.api.http;

import com.typesafe.config.Config;
import io.pulse.engine.InputLimitsConfig;
import io.pulse.engine.domain.InputLimits;
import java.time.Duration;

/**
 * HTTP settings of the server, from {@code pulse.http}, and the bounds on what requests carry, from
 * {@code pulse.limits}.
 */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    int maxEventsPerRequest,
    Duration askTimeout,
    Duration retryAfter,
    int maxTransitionsPerPage,
    InputLimits limits) {

  public static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("pulse.http");
    return new HttpSettings(
        http.getString("host"),
        http.getInt("port"),
        http.getBytes("max-body-size"),
        http.getInt("max-events-per-request"),
        http.getDuration("ask-timeout"),
        http.getDuration("retry-after"),
        http.getInt("max-transitions-per-page"),
        InputLimitsConfig.from(config));
  }
}
