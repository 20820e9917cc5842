package io.pulse.engine.domain.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant: a workspace whose users, models, campaigns, vouchers, transitions and subscriptions are
 * its own. Part of every entity id ({@code <tenant>|<id>}), so it never contains {@code |}.
 */
public record TenantId(@JsonValue String value) implements Comparable<TenantId> {

  // Before DEFAULT: its construction validates against this pattern.
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The tenant of the operator, and of all data written before tenants existed. */
  public static final TenantId DEFAULT = new TenantId("default");

  // Delegating: written as its string, so read from one. With parameter names known, a
  // one-argument creator would otherwise expect an object with a "value" field.
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public TenantId {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a tenant id: '" + value + "'");
    }
  }

  /** 1 to 63 lower-case letters, digits or '-', starting with a letter or digit. */
  public static boolean isValid(String candidate) {
    return candidate != null && VALID.matcher(candidate).matches();
  }

  /** What a client is told when an id is refused. */
  public static String rule() {
    return "1 to 63 lower-case letters, digits or '-', starting with a letter or digit";
  }

  public boolean isDefault() {
    return this.equals(DEFAULT);
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
