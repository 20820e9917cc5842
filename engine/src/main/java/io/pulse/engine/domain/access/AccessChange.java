package io.pulse.engine.domain.access;

import io.pulse.engine.CborSerializable;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** A journaled change of the tenants and keys. */
public sealed interface AccessChange extends CborSerializable
    permits AccessChange.TenantCreated,
        AccessChange.KeyCreated,
        AccessChange.KeyRevoked,
        AccessChange.KeysUsed {

  /** A tenant was created. */
  record TenantCreated(TenantId tenant, Instant at) implements AccessChange {
    public TenantCreated {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(at, "at");
    }
  }

  /** A key was created; only the hash of its secret is in it. */
  record KeyCreated(ApiKey key) implements AccessChange {
    public KeyCreated {
      Objects.requireNonNull(key, "key");
    }
  }

  /** A key was revoked: from now on it authenticates nobody. */
  record KeyRevoked(String keyId, Instant at) implements AccessChange {
    public KeyRevoked {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(at, "at");
    }
  }

  /** When keys were last used, as the nodes reported it (to within a minute). */
  record KeysUsed(Map<String, Instant> lastUse) implements AccessChange {
    public KeysUsed {
      lastUse = lastUse == null ? Map.of() : Map.copyOf(lastUse);
    }
  }
}
