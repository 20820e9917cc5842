package io.pulse.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.util.Map;

/**
 * The module's configuration as the server loads it, but resolved against a given environment
 * instead of the real one, so that tests of {@code ${?PULSE_...}} overrides are deterministic.
 */
final class ModuleConfig {

  private ModuleConfig() {}

  /** reference.conf alone, with {@code environment} standing in for the process environment. */
  static Config reference(Map<String, String> environment, String application) {
    return resolve(ConfigFactory.parseString(application), environment);
  }

  /** application.conf's includes (persistence, serialization) over reference.conf. */
  static Config server(Map<String, String> environment, String application) {
    ConfigParseOptions required = ConfigParseOptions.defaults().setAllowMissing(false);
    Config includes =
        ConfigFactory.parseString(application)
            .withFallback(ConfigFactory.parseResources("persistence.conf", required))
            .withFallback(ConfigFactory.parseResources("serialization.conf", required));
    return resolve(includes, environment);
  }

  private static Config resolve(Config application, Map<String, String> environment) {
    // HOCON looks ${?PULSE_X} up as a root path before falling back to the environment; with
    // noSystem() the map below is the only environment these tests see.
    return application
        .withFallback(ConfigFactory.parseResources("reference.conf"))
        .withFallback(ConfigFactory.parseMap(environment))
        .resolve(ConfigResolveOptions.noSystem());
  }
}
