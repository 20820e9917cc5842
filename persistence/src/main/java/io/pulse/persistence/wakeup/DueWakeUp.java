package io.pulse.persistence.wakeup;

import java.time.Instant;

/** A user entity that asked to be woken, and when. */
public record DueWakeUp(String entityId, Instant dueAt) {}
