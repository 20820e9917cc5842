package io.pulse.api.json;

import io.pulse.engine.domain.BehaviouralEvent;
import java.util.List;

/** The events of a request that are well formed, and why the others are not. */
public record ParsedEvents(
    List<BehaviouralEvent> valid, List<EventRejection> rejected, int total, boolean array) {}
