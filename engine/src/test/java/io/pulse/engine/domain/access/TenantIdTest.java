package io.pulse.engine.domain.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TenantIdTest {

  @Test
  void theDefaultTenantIsAValidTenantId() {
    assertEquals("default", TenantId.DEFAULT.value());
    assertTrue(TenantId.DEFAULT.isDefault());
    assertTrue(TenantId.isValid(TenantId.DEFAULT.value()));
  }

  @Test
  void anIdOutsideTheRuleIsRefused() {
    assertFalse(TenantId.isValid("Acme"));
    assertFalse(TenantId.isValid("-acme"));
    assertFalse(TenantId.isValid("a|b"));
    assertFalse(TenantId.isValid("a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> new TenantId("a|b"));
    assertEquals("acme-2", new TenantId("acme-2").value());
  }
}
