package io.pulse.engine.domain;

import java.time.Instant;

/**
 * A user entered or left a segment: a band of a model ({@link SegmentTransition}) or an audience
 * ({@link AudienceTransition}). Its id is stable, so consumers can de-duplicate replays; {@code
 * from} is null on entering from nothing and {@code to} null on leaving.
 */
public sealed interface Transition extends EngagementChange
    permits SegmentTransition, AudienceTransition {

  String id();

  String userId();

  String from();

  String to();

  Instant at();

  TransitionCause cause();
}
