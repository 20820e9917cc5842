package io.pulse.api.json;

/**
 * The body of {@code POST /v1/subscriptions}. {@code secret} may be left out to have one generated;
 * {@code after} (an offset) starts deliveries after it instead of after the newest transition.
 */
public record SubscriptionRequest(String url, FilterDocument filter, String secret, Long after) {}
