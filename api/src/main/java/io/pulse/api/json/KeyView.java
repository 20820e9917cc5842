package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.Scope;
import java.util.List;

/**
 * A key as answers show it: the secret {@code key} only in the answer that created it, masked
 * everywhere else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(
    String id,
    String tenant,
    String name,
    List<String> scopes,
    KeyRequest.LimitsDocument limits,
    String key,
    String createdAt,
    String revokedAt,
    String lastUsedAt) {

  /** A stored key, masked. */
  public static KeyView of(ApiKey key) {
    return of(key, key.masked());
  }

  /** A key just created, with its secret, shown this once. */
  public static KeyView created(ApiKey key, String secret) {
    return of(key, secret);
  }

  private static KeyView of(ApiKey key, String shown) {
    return new KeyView(
        key.id(),
        key.tenant().value(),
        key.name(),
        key.scopes().stream().sorted().map(Scope::wireName).toList(),
        KeyRequest.LimitsDocument.of(key.limits()),
        shown,
        key.createdAt().toString(),
        key.revokedAt() == null ? null : key.revokedAt().toString(),
        key.lastUsedAt() == null ? null : key.lastUsedAt().toString());
  }
}
