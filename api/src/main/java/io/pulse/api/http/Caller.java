package io.pulse.api.http;

import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.RateDecision;
import io.pulse.engine.domain.access.TenantId;
import java.util.Objects;

/** Who makes a request: an authenticated key, and that key's budget on this node. */
public record Caller(ApiKey key, KeyBudgets.Budget budget) {

  public Caller {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(budget, "budget");
  }

  public TenantId tenantId() {
    return key.tenant();
  }

  /** The caller's tenant, as entity ids spell it. */
  public String tenant() {
    return key.tenant().value();
  }

  /** Whether the caller administers the whole system, not only its own tenant. */
  public boolean operator() {
    return key.operator();
  }

  /** Takes {@code events} from the key's event budget. */
  public RateDecision takeEvents(int events) {
    return budget.takeEvents(events);
  }
}
