package io.pulse.api;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;

/** Starts a Pulse node; configuration comes from application.conf and PULSE_* variables. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    PulseServer.start(ConfigFactory.load(), Clock.systemUTC());
  }
}
