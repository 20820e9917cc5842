package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.subscription.TransitionFilter;

/** A subscription's filter on the wire; absent fields match anything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FilterDocument(
    String model, String band, String cause, String user, String audience) {

  public static FilterDocument of(TransitionFilter filter) {
    return new FilterDocument(
        filter.model(), filter.band(), filter.cause(), filter.user(), filter.audience());
  }

  public TransitionFilter toFilter() {
    return new TransitionFilter(model, band, cause, user, audience);
  }
}
