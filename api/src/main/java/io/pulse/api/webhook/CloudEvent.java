package io.pulse.api.webhook;

import io.pulse.api.json.TransitionView;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Transition;

/**
 * A transition as a CloudEvents 1.0 event in structured JSON mode: {@code id} is the transition's
 * stable id, so a receiver de-duplicates redeliveries by it; {@code data} carries the offset.
 */
public record CloudEvent(
    String specversion,
    String type,
    String source,
    String id,
    String time,
    String subject,
    String datacontenttype,
    Object data) {

  /** The type of a model's transition. */
  public static final String TYPE = "pulse.segment.transition";

  /** The type of an audience's transition. */
  public static final String AUDIENCE_TYPE = "pulse.audience.transition";

  public static final String SOURCE = "/pulse/transitions";

  public static CloudEvent of(Transition transition, long offset) {
    return new CloudEvent(
        "1.0",
        transition instanceof AudienceTransition ? AUDIENCE_TYPE : TYPE,
        SOURCE,
        transition.id(),
        transition.at().toString(),
        transition.userId(),
        "application/json",
        TransitionView.ofAny(transition, offset));
  }
}
