package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;

/**
 * A fact about a user that is journaled: an accepted event, a segment transition, a wake-up
 * request, or a model's standing recomputed or removed.
 */
public sealed interface EngagementChange extends CborSerializable
    permits ScoredEvent, SegmentTransition, WakeUpScheduled, ModelRescored, ModelForgotten {}
