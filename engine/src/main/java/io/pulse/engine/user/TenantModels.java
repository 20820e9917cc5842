package io.pulse.engine.user;

import io.pulse.engine.domain.Definitions;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The scoring models and audiences of each tenant as this node knows them: what a user entity
 * evaluates with, and whether they have arrived yet. Injected, so that the user entity does not
 * depend on how definitions are stored or followed.
 */
public interface TenantModels {

  /** The definitions in force for {@code tenant}, read anew on every call. */
  Supplier<Definitions> of(String tenant);

  /** Whether this node holds {@code tenant}'s definitions yet. */
  BooleanSupplier loaded(String tenant);

  /** The same definitions for every tenant, always loaded: for tests and single-model tools. */
  static TenantModels fixed(Supplier<Definitions> definitions) {
    return new TenantModels() {
      @Override
      public Supplier<Definitions> of(String tenant) {
        return definitions;
      }

      @Override
      public BooleanSupplier loaded(String tenant) {
        return () -> true;
      }
    };
  }
}
