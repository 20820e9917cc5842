package io.pulse.api.webhook;

import io.pulse.engine.domain.Transition;

/**
 * One transition to deliver, with its journal offset; {@code priorAttempts} counts the attempts of
 * earlier runs, for a dead letter being redelivered.
 */
record Delivery(long offset, Transition transition, int priorAttempts) {}
