package io.pulse.engine.serialization;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;

/** A Jackson module, as an operator might configure one, that names properties in snake case. */
public final class SnakeCaseNamesModule extends SimpleModule {

  private static final long serialVersionUID = 1L;

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.setNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  }
}
