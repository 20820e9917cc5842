package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.DefinitionVersions;
import io.pulse.engine.domain.SegmentTransition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The campaigns of a tenant and their triggers, so that a transition is offered only to the
 * campaigns it can concern.
 */
public record CampaignDirectoryState(Map<String, Trigger> campaigns, Map<String, Long> versions)
    implements PromotionJournaled {

  public static final CampaignDirectoryState EMPTY = new CampaignDirectoryState(Map.of(), Map.of());

  public CampaignDirectoryState {
    campaigns = campaigns == null ? Map.of() : Map.copyOf(campaigns);
    versions = versions == null ? Map.of() : Map.copyOf(versions);
  }

  /**
   * The event that lists {@code campaignId} with the trigger of version {@code campaignVersion} of
   * its definition (0 when not known); empty when already so, or when a newer version's trigger is
   * listed: of two definitions stored concurrently, the one stored last is listed, whatever order
   * their listings arrive in.
   */
  public Optional<CampaignListed> list(String campaignId, Trigger trigger, long campaignVersion) {
    return DefinitionVersions.isOlder(versions, campaignId, campaignVersion)
            || DefinitionVersions.changesNothing(
                versions, campaignId, campaignVersion, trigger.equals(campaigns.get(campaignId)))
        ? Optional.empty()
        : Optional.of(new CampaignListed(campaignId, trigger, campaignVersion));
  }

  public CampaignDirectoryState apply(CampaignListed listed) {
    Map<String, Trigger> updated = new TreeMap<>(campaigns);
    updated.put(listed.campaignId(), listed.trigger());
    return new CampaignDirectoryState(
        updated, DefinitionVersions.after(versions, listed.campaignId(), listed.campaignVersion()));
  }

  /** The ids of the campaigns whose trigger matches {@code transition}, sorted. */
  public List<String> matching(SegmentTransition transition) {
    return campaigns.entrySet().stream()
        .filter(entry -> entry.getValue().matches(transition))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Every campaign id, sorted. */
  public List<String> ids() {
    return campaigns.keySet().stream().sorted().toList();
  }
}
