package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;

/**
 * A fact about a user that is journaled: an accepted event, a transition, a wake-up request, a
 * model's standing recomputed or removed, a change of traits, an audience's standing rebuilt or
 * removed, or what the user marks for the campaigns that watch it.
 */
public sealed interface EngagementChange extends CborSerializable
    permits ScoredEvent,
        Transition,
        WakeUpScheduled,
        ModelRescored,
        ModelForgotten,
        TraitsChanged,
        AudienceReevaluated,
        AudienceForgotten,
        WatchesAligned,
        DateReached {}
