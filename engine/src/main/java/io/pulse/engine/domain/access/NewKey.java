package io.pulse.engine.domain.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What a client asks for when it creates a key. */
public record NewKey(TenantId tenant, String name, Set<Scope> scopes, KeyLimits limits) {

  /** The longest key name, in characters. */
  public static final int MAX_NAME_LENGTH = 100;

  public NewKey {
    Objects.requireNonNull(tenant, "tenant");
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    limits = limits == null ? KeyLimits.DEFAULTS : limits;
  }

  /** What is wrong with the request on its own, before the tenant is looked up. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (name == null || name.isBlank()) {
      problems.add("name is required");
    } else if (name.length() > MAX_NAME_LENGTH) {
      problems.add("name must have at most " + MAX_NAME_LENGTH + " characters");
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      problems.add("name must not contain control characters");
    }
    if (scopes.isEmpty()) {
      problems.add("scopes must name at least one of: " + Scope.wireNames());
    }
    problems.addAll(limits.problems());
    return problems;
  }
}
