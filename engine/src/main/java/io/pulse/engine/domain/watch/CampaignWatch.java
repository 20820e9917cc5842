package io.pulse.engine.domain.watch;

import java.util.Map;

/**
 * What one campaign asks of its tenant's definitions: the audiences it names, each under the field
 * that names it (so that they are kept while it does), and, while it is active, the events or the
 * yearly date that users must mark for it.
 */
public record CampaignWatch(Map<String, String> audiences, EventWatch event, DateWatch date) {

  /** The field under which {@link #audiences} holds the audience a campaign is triggered by. */
  public static final String TRIGGER_AUDIENCE = "trigger.audience";

  public static final CampaignWatch NONE = new CampaignWatch(Map.of(), null, null);

  public CampaignWatch {
    audiences = audiences == null ? Map.of() : Map.copyOf(audiences);
  }

  /** The audience whose transitions trigger the campaign, if any. */
  public String triggerAudience() {
    return audiences.get(TRIGGER_AUDIENCE);
  }

  public boolean isEmpty() {
    return audiences.isEmpty() && event == null && date == null;
  }
}
