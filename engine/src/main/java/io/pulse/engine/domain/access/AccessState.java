package io.pulse.engine.domain.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tenants and their keys, and how many changes led to them. A fresh state has the {@code
 * default} tenant and no key.
 */
public record AccessState(long revision, Map<TenantId, Instant> tenants, Map<String, ApiKey> keys) {

  /** Most keys, revoked ones included, that one tenant may have. */
  public static final int MAX_KEYS_PER_TENANT = 1000;

  public AccessState {
    tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    keys = keys == null ? Map.of() : Map.copyOf(keys);
  }

  public static AccessState initial() {
    return new AccessState(0, Map.of(TenantId.DEFAULT, Instant.EPOCH), Map.of());
  }

  public boolean hasTenant(TenantId tenant) {
    return tenants.containsKey(tenant);
  }

  /** Tenants sorted by id. */
  public List<TenantId> tenantIds() {
    return tenants.keySet().stream().sorted().toList();
  }

  public Optional<Instant> tenantCreatedAt(TenantId tenant) {
    return Optional.ofNullable(tenants.get(tenant));
  }

  public Optional<ApiKey> key(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  /** Whether a key with this secret hash exists, revoked or not. */
  public Optional<ApiKey> keyWithHash(String secretHash) {
    return keys.values().stream().filter(key -> key.secretHash().equals(secretHash)).findFirst();
  }

  public boolean hasKeys() {
    return !keys.isEmpty();
  }

  /** The keys of a tenant, oldest first. */
  public List<ApiKey> keysOf(TenantId tenant) {
    return keys.values().stream()
        .filter(key -> key.tenant().equals(tenant))
        .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id))
        .toList();
  }

  /** Why a tenant with this id cannot be created; empty when it can. */
  public Optional<String> tenantRefusal(String id) {
    if (!TenantId.isValid(id)) {
      return Optional.of("id must be " + TenantId.rule());
    }
    if (hasTenant(new TenantId(id))) {
      return Optional.of("tenant '" + id + "' exists");
    }
    return Optional.empty();
  }

  /** What is wrong with a key request here; empty when the key can be created. */
  public List<String> keyProblems(NewKey request) {
    List<String> problems = new ArrayList<>(request.problems());
    if (!hasTenant(request.tenant())) {
      problems.add("tenant '" + request.tenant() + "' does not exist");
    } else if (keysOf(request.tenant()).size() >= MAX_KEYS_PER_TENANT) {
      problems.add(
          "tenant '"
              + request.tenant()
              + "' has "
              + MAX_KEYS_PER_TENANT
              + " keys, the most it may have");
    }
    return problems;
  }

  /** The key a valid request makes, stored under the hash of {@code secret}. */
  public static ApiKey keyFor(NewKey request, String id, String secret, Instant now) {
    return new ApiKey(
        id,
        request.tenant(),
        request.name(),
        request.scopes(),
        request.limits(),
        KeySecrets.hash(secret),
        KeySecrets.hint(secret),
        now,
        null,
        null);
  }

  public AccessState apply(AccessChange change) {
    Objects.requireNonNull(change, "change");
    if (change instanceof AccessChange.TenantCreated created) {
      Map<TenantId, Instant> next = new TreeMap<>(tenants);
      next.putIfAbsent(created.tenant(), created.at());
      return new AccessState(revision + 1, next, keys);
    }
    if (change instanceof AccessChange.KeyCreated created) {
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(created.key().id(), created.key());
      return new AccessState(revision + 1, tenants, next);
    }
    if (change instanceof AccessChange.KeyRevoked revoked) {
      ApiKey key = keys.get(revoked.keyId());
      if (key == null || key.revoked()) {
        return new AccessState(revision + 1, tenants, keys);
      }
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(key.id(), key.revokedAt(revoked.at()));
      return new AccessState(revision + 1, tenants, next);
    }
    AccessChange.KeysUsed used = (AccessChange.KeysUsed) change;
    Map<String, ApiKey> next = new HashMap<>(keys);
    used.lastUse().forEach((id, at) -> next.computeIfPresent(id, (ignored, key) -> key.usedAt(at)));
    return new AccessState(revision + 1, tenants, next);
  }

  /**
   * The uses worth recording: those that move a key's last use forward by at least {@code
   * precision}, so that a busy key costs one journal write per interval, not one per request.
   */
  public Map<String, Instant> usesWorthRecording(
      Map<String, Instant> uses, java.time.Duration precision) {
    Map<String, Instant> worth = new HashMap<>();
    uses.forEach(
        (id, at) -> {
          ApiKey key = keys.get(id);
          if (key != null
              && (key.lastUsedAt() == null || !at.isBefore(key.lastUsedAt().plus(precision)))) {
            worth.put(id, at);
          }
        });
    return worth;
  }
}
