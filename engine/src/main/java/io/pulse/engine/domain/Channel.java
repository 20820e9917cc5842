package io.pulse.engine.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The medium an event arrived through; rules may narrow on it. */
public enum Channel {
  EMAIL,
  PUSH,
  SMS,
  WEB,
  APP,
  IN_APP,
  OTHER;

  /** The lower-case name used on the wire. */
  /** Worked out once: every event's channel is read and written by it. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Optional<Channel> fromWireName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (Channel channel : values()) {
      if (channel.wireName().equals(name)) {
        return Optional.of(channel);
      }
    }
    return Optional.empty();
  }

  /** The accepted names, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Channel::wireName).collect(Collectors.joining(", "));
  }
}
