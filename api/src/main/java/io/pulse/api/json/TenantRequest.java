package io.pulse.api.json;

/** {@code POST /v1/tenants}: the new tenant's id. */
public record TenantRequest(String id) {}
