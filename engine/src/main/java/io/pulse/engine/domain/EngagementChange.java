package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;

/** A fact about a user that is journaled: an accepted event or a band transition. */
public sealed interface EngagementChange extends CborSerializable
    permits ScoredEvent, SegmentTransition {}
