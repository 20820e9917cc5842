package io.pulse.engine.domain;

import java.util.Arrays;
import java.util.List;
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

  // Every event's channel is read by its wire name: the answers are made once, where values()
  // would hand out a new array on each call and Optional.of a new answer.
  private static final List<Optional<Channel>> ANSWERS =
      Arrays.stream(values()).map(Optional::of).toList();

  /** Worked out once: every event's channel is read and written by it. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used on the wire. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Channel> fromWireName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (Optional<Channel> answer : ANSWERS) {
      if (answer.get().wireName().equals(name)) {
        return answer;
      }
    }
    return Optional.empty();
  }

  /** The accepted names, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Channel::wireName).collect(Collectors.joining(", "));
  }
}
