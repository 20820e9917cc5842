package io.pulse.loadtest.cli;

import io.pulse.loadtest.gen.EventMix;
import picocli.CommandLine.ITypeConverter;

/** Parses {@code --mix type=weight,...}. */
public final class EventMixConverter implements ITypeConverter<EventMix> {
  @Override
  public EventMix convert(String value) {
    return EventMix.parse(value);
  }
}
