package io.pulse.engine.domain.access;

import io.pulse.engine.CborSerializable;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A key a client authenticates with: it belongs to one tenant and carries exactly the scopes it was
 * given. Only a hash of its secret is kept; {@code hint} is the secret's last characters, so that a
 * listing can tell keys apart without showing them.
 */
public record ApiKey(
    String id,
    TenantId tenant,
    String name,
    Set<Scope> scopes,
    KeyLimits limits,
    String secretHash,
    String hint,
    Instant createdAt,
    Instant revokedAt,
    Instant lastUsedAt)
    implements CborSerializable {

  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(createdAt, "createdAt");
    scopes = scopes == null || scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    limits = limits == null ? KeyLimits.DEFAULTS : limits;
    hint = hint == null ? "" : hint;
  }

  /**
   * Whether this key may use a route that needs {@code scope}: it has it, or it is an admin key.
   */
  public boolean allows(Scope scope) {
    return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  /** An admin key of the operator's tenant: it may manage tenants and every tenant's keys. */
  public boolean operator() {
    return tenant.isDefault() && scopes.contains(Scope.ADMIN);
  }

  /** The key as a listing shows it: never the secret, only its last characters. */
  public String masked() {
    return KeySecrets.PREFIX + "…" + hint;
  }

  ApiKey revokedAt(Instant at) {
    return new ApiKey(
        id, tenant, name, scopes, limits, secretHash, hint, createdAt, at, lastUsedAt);
  }

  ApiKey usedAt(Instant at) {
    if (lastUsedAt != null && !at.isAfter(lastUsedAt)) {
      return this;
    }
    return new ApiKey(id, tenant, name, scopes, limits, secretHash, hint, createdAt, revokedAt, at);
  }
}
