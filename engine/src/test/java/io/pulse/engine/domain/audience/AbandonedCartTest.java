package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static io.pulse.engine.domain.audience.AudienceFixtures.cartAbandoned;
import static io.pulse.engine.domain.audience.AudienceFixtures.definitions;
import static io.pulse.engine.domain.audience.AudienceFixtures.event;
import static io.pulse.engine.domain.audience.AudienceFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "An add to cart not followed by a purchase within an hour": the abandoned cart. */
class AbandonedCartTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Definitions DEFINITIONS =
      definitions(Audience.of("cart-abandoners", "Cart abandoners", cartAbandoned(HOUR)));

  private static List<AudienceTransition> transitions(Recording recording) {
    return recording.changes().stream()
        .filter(AudienceTransition.class::isInstance)
        .map(AudienceTransition.class::cast)
        .toList();
  }

  @Test
  void aCartLeftForAnHourEntersOnTimeAndAPurchaseTakesTheUserOut() {
    // given an add to cart
    UserEngagement user = user().record(List.of(event("add_to_cart", T0)), DEFINITIONS, T0).state();
    assertFalse(user.audiences().member("cart-abandoners"));
    assertEquals(T0.plus(HOUR), user.nextChange(DEFINITIONS, T0).orElseThrow());

    // when the hour runs out with nothing else
    Recording woken = user.wakeUp(DEFINITIONS, T0.plus(HOUR).plusMillis(300));

    // then the user enters, dated when the hour ran out, caused by time
    List<AudienceTransition> entered = transitions(woken);
    assertEquals(1, entered.size());
    assertEquals("member", entered.get(0).to());
    assertEquals(T0.plus(HOUR), entered.get(0).at());
    assertEquals(TransitionCause.TIME, entered.get(0).cause());

    // when the shopper buys
    Instant bought = T0.plus(Duration.ofHours(3));
    Recording purchase =
        woken.state().record(List.of(event("purchase", bought)), DEFINITIONS, bought);

    // then the shopper leaves, because of the purchase
    List<AudienceTransition> left = transitions(purchase);
    assertEquals(1, left.size());
    assertEquals(null, left.get(0).to());
    assertEquals(TransitionCause.EVENT, left.get(0).cause());
    assertTrue(purchase.state().nextChange(DEFINITIONS, bought).isEmpty(), "no wait under way");
  }

  @Test
  void aNewAddToCartStartsTheWaitAgain() {
    UserEngagement user = user().record(List.of(event("add_to_cart", T0)), DEFINITIONS, T0).state();
    Instant again = T0.plus(Duration.ofMinutes(40));
    user = user.record(List.of(event("add_to_cart", again)), DEFINITIONS, again).state();
    assertEquals(again.plus(HOUR), user.nextChange(DEFINITIONS, again).orElseThrow());
    assertTrue(transitions(user.wakeUp(DEFINITIONS, T0.plus(HOUR))).isEmpty());
    assertEquals(1, transitions(user.wakeUp(DEFINITIONS, again.plus(HOUR))).size());
  }

  @Test
  void aPurchaseWithinTheHourMeansNoAbandonedCart() {
    UserEngagement user = user().record(List.of(event("add_to_cart", T0)), DEFINITIONS, T0).state();
    Instant bought = T0.plus(Duration.ofMinutes(10));
    user = user.record(List.of(event("purchase", bought)), DEFINITIONS, bought).state();
    assertTrue(user.nextChange(DEFINITIONS, bought).isEmpty());
    assertTrue(transitions(user.wakeUp(DEFINITIONS, T0.plus(Duration.ofDays(1)))).isEmpty());
  }

  @Test
  void aMembersNewAddToCartRestartsTheWait() {
    UserEngagement user = user().record(List.of(event("add_to_cart", T0)), DEFINITIONS, T0).state();
    user = user.wakeUp(DEFINITIONS, T0.plus(HOUR)).state();
    assertTrue(user.audiences().member("cart-abandoners"));
    Instant again = T0.plus(Duration.ofHours(2));
    Recording added = user.record(List.of(event("add_to_cart", again)), DEFINITIONS, again);
    // a fresh wait is under way: the abandoned cart is not abandoned any more until it runs out
    assertEquals(1, transitions(added).size());
    assertEquals(null, transitions(added).get(0).to());
    assertEquals(
        1, transitions(added.state().wakeUp(DEFINITIONS, again.plus(HOUR))).size(), "enters again");
  }
}
