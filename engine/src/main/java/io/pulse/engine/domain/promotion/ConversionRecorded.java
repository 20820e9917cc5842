package io.pulse.engine.domain.promotion;

import java.time.Instant;

/** A participant's purchase inside a conversion window: the participant converted. */
public record ConversionRecorded(String userId, String eventId, long offset, Instant at)
    implements CampaignEvent {}
