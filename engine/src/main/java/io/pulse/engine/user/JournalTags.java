package io.pulse.engine.user;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.Transition;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.domain.watch.Watches;
import java.util.Set;

/**
 * The journal tags of a user's changes, which the read side follows: transitions feed the
 * transition feeds, and the promotions when a campaign may be triggered by them; wake-up requests
 * feed the wake-up scheduler; a user's first event and every purchase feed the customer aggregates;
 * events that a campaign watches and the yearly dates reached feed the promotions too. Other events
 * carry no tag, which keeps the tag table small.
 */
public final class JournalTags {

  /**
   * Every tenant's transitions: the shared live feed, the statistics and the webhooks follow it.
   */
  public static final String TRANSITION = "transition";

  /**
   * The tag the promotion projection follows: band transitions, the transitions of audiences that
   * trigger campaigns, purchases, watched events and dates reached, in one stream, so that
   * campaigns see a purchase after the transition it follows.
   */
  public static final String PROMOTION = "promotion";

  /** The tag of wake-up requests, which the wake-up scheduler follows. */
  public static final String WAKE_UP = "wake-up";

  /** The tag of a user's first event and of purchases, which the customer aggregates follow. */
  public static final String CUSTOMER = "customer";

  private static final Set<String> WAKE_UP_TAGS = Set.of(WAKE_UP);
  private static final Set<String> CUSTOMER_TAGS = Set.of(CUSTOMER);
  private static final Set<String> PURCHASE_TAGS = Set.of(CUSTOMER, PROMOTION);
  private static final Set<String> PROMOTION_TAGS = Set.of(PROMOTION);

  private final Set<String> transitionTags;
  private final Set<String> unwatchedTransitionTags;

  private JournalTags(String tenant) {
    String own = transitionsOf(tenant);
    this.transitionTags =
        own.equals(TRANSITION) ? Set.of(TRANSITION, PROMOTION) : Set.of(TRANSITION, PROMOTION, own);
    this.unwatchedTransitionTags =
        own.equals(TRANSITION) ? Set.of(TRANSITION) : Set.of(TRANSITION, own);
  }

  /** The tags of the users of {@code tenant}. */
  public static JournalTags of(String tenant) {
    return new JournalTags(tenant);
  }

  /**
   * The tag that holds one tenant's transitions, which its polling feed reads without passing over
   * most other tenants'. The default tenant's is the shared tag itself: its transitions were tagged
   * so before tenants existed, and are still so tagged by nodes of earlier releases during a
   * rolling upgrade; a reader of the default tenant's keeps only its users' transitions.
   */
  public static String transitionsOf(String tenant) {
    return TenantId.DEFAULT.value().equals(tenant) ? TRANSITION : TRANSITION + ":" + tenant;
  }

  /** The tags of one change, while no campaign is triggered by an audience. */
  public Set<String> tagsOf(EngagementChange change) {
    return tagsOf(change, Watches.NONE);
  }

  /**
   * The tags of one change, while campaigns ask for what {@code watches} holds. A band transition
   * always goes to the promotions; an audience's goes only while a campaign's trigger names the
   * audience, so that audiences no campaign is triggered by cost the promotion projection nothing
   * (as with watched events, a campaign sees the transitions journaled once its trigger is known to
   * the user's node).
   */
  public Set<String> tagsOf(EngagementChange change, Watches watches) {
    if (change instanceof AudienceTransition transition) {
      return watches.triggeredBy(transition.audience()) ? transitionTags : unwatchedTransitionTags;
    }
    if (change instanceof Transition) {
      return transitionTags;
    }
    if (change instanceof WakeUpScheduled) {
      return WAKE_UP_TAGS;
    }
    if (change instanceof ScoredEvent scored) {
      boolean watched = !scored.watchHits().isEmpty();
      if (scored.firstEvent() || scored.event().orderAmount().isPresent()) {
        return scored.event().purchase() || watched ? PURCHASE_TAGS : CUSTOMER_TAGS;
      }
      return watched ? PROMOTION_TAGS : Set.of();
    }
    if (change instanceof DateReached) {
      return PROMOTION_TAGS;
    }
    return Set.of();
  }
}
