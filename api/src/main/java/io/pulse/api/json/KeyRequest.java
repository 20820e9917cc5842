package io.pulse.api.json;

import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.NewKey;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.access.TenantId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code POST /v1/keys}: a key for a tenant, its name, scopes and limits. */
public record KeyRequest(String tenant, String name, List<String> scopes, LimitsDocument limits) {

  /** A key's limits on the wire; an absent value takes the node's default. */
  public record LimitsDocument(Integer requestsPerSecond, Integer eventsPerSecond) {

    KeyLimits toLimits() {
      return new KeyLimits(
          requestsPerSecond == null ? 0 : requestsPerSecond,
          eventsPerSecond == null ? 0 : eventsPerSecond);
    }

    List<String> problems() {
      List<String> problems = new ArrayList<>(2);
      if (requestsPerSecond != null && requestsPerSecond < 1) {
        problems.add("limits.requestsPerSecond must be at least 1");
      }
      if (eventsPerSecond != null && eventsPerSecond < 1) {
        problems.add("limits.eventsPerSecond must be at least 1");
      }
      return problems;
    }

    public static LimitsDocument of(KeyLimits limits) {
      return new LimitsDocument(
          limits.requestsPerSecond() > 0 ? limits.requestsPerSecond() : null,
          limits.eventsPerSecond() > 0 ? limits.eventsPerSecond() : null);
    }
  }

  /** The request as the domain takes it, or the problems that stop it. */
  public record Result(NewKey key, List<String> problems) {}

  /** The key asked for, in {@code callerTenant} unless the request names another tenant. */
  public Result toNewKey(TenantId callerTenant) {
    List<String> problems = new ArrayList<>();
    TenantId owner = callerTenant;
    if (tenant != null) {
      if (TenantId.isValid(tenant)) {
        owner = new TenantId(tenant);
      } else {
        problems.add("tenant must be " + TenantId.rule());
      }
    }
    Set<Scope> granted = EnumSet.noneOf(Scope.class);
    if (scopes != null) {
      for (String scope : scopes) {
        Optional<Scope> known = Scope.fromWire(scope);
        if (known.isPresent()) {
          granted.add(known.get());
        } else {
          problems.add("scopes: '" + scope + "' is not a scope (" + Scope.wireNames() + ")");
        }
      }
    }
    KeyLimits keyLimits = KeyLimits.DEFAULTS;
    if (limits != null) {
      problems.addAll(limits.problems());
      keyLimits = limits.toLimits();
    }
    NewKey key = new NewKey(owner, name, granted, keyLimits);
    problems.addAll(key.problems());
    return new Result(problems.isEmpty() ? key : null, List.copyOf(problems));
  }
}
