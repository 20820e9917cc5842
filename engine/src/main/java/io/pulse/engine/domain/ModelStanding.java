package io.pulse.engine.domain;

import java.time.Instant;

/** A user's score and band in one model at one moment, decay applied. */
public record ModelStanding(
    String model, double score, String band, double points, Instant updatedAt) {}
