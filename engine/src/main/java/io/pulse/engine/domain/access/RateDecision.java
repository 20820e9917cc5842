package io.pulse.engine.domain.access;

/**
 * Whether a request fits its key's limit, and what the {@code RateLimit-*} answer headers say: the
 * limit per second, what is left of it, and the seconds until it is whole again; {@code
 * retryAfterSeconds} is set when the request was refused.
 */
public record RateDecision(
    boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}
