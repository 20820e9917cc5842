package io.pulse.engine.domain.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules a new webhook subscription follows, given a request, when it is defined. */
class NewSubscriptionTest {

  private static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");
  private static final SecretBox SECRETS = new SecretBox(new byte[32], Optional.empty());
  private static final HostResolver DNS =
      WebhookTargetPolicyTest.resolver(
          Map.of(
              "orchestrator.example", List.of(new byte[] {93, (byte) 184, (byte) 215, 14}),
              "internal.example", List.of(new byte[] {10, 0, 0, 9})));

  private final NewSubscription rules =
      new NewSubscription(WebhookTargetPolicy.PUBLIC_ONLY, DNS, SECRETS);

  private NewSubscription.Outcome define(
      String url, String secret, TransitionFilter filter, Long after) {
    return rules.define(new NewSubscription.Request(url, filter, secret, after), NOW);
  }

  private static List<String> problems(NewSubscription.Outcome outcome) {
    return assertInstanceOf(NewSubscription.Refused.class, outcome).problems();
  }

  @Test
  void aValidRequestGetsAnIdAndItsSecretSealed() {
    String secret = "client-chosen-secret-42";
    NewSubscription.Defined defined =
        assertInstanceOf(
            NewSubscription.Defined.class,
            define(
                "https://orchestrator.example/hooks",
                secret,
                new TransitionFilter("engagement", "high", "event", null),
                null));

    WebhookSubscription subscription = defined.subscription();
    assertTrue(subscription.id().matches("sub-[0-9a-f-]{36}"), subscription.id());
    assertEquals("https://orchestrator.example/hooks", subscription.url());
    assertEquals(new TransitionFilter("engagement", "high", "event", null), subscription.filter());
    assertEquals(NOW, subscription.createdAt());
    assertTrue(SecretBox.isSealed(subscription.secret()));
    assertFalse(subscription.secret().contains(secret));
    assertEquals(secret, SECRETS.open(subscription.id(), subscription.secret()));
    assertEquals("****t-42", subscription.maskedSecret());
    assertEquals(Optional.empty(), defined.generatedSecret());
  }

  @Test
  void withoutASecretOneIsGeneratedAndShownOnce() {
    NewSubscription.Defined defined =
        assertInstanceOf(
            NewSubscription.Defined.class,
            define("https://orchestrator.example/hooks", null, null, null));

    String generated = defined.generatedSecret().orElseThrow();
    assertTrue(generated.matches("whsec_[0-9a-f]{64}"), generated);
    assertEquals(
        generated, SECRETS.open(defined.subscription().id(), defined.subscription().secret()));
    assertEquals(
        "****" + generated.substring(generated.length() - 4),
        defined.subscription().maskedSecret());
    assertEquals(TransitionFilter.ANY, defined.subscription().filter());
  }

  @Test
  void twoSubscriptionsNeverShareAnIdOrAGeneratedSecret() {
    var first = (NewSubscription.Defined) define("https://orchestrator.example/", null, null, null);
    var second =
        (NewSubscription.Defined) define("https://orchestrator.example/", null, null, null);

    assertNotEquals(first.subscription().id(), second.subscription().id());
    assertNotEquals(first.generatedSecret(), second.generatedSecret());
  }

  @Test
  void everyBrokenRuleIsNamedInTheOrderOfTheFields() {
    List<String> problems =
        problems(define(null, "short", new TransitionFilter(null, null, "sneeze", null), -1L));

    assertEquals(
        List.of(
            "url is required",
            "secret must have at least 16 characters",
            "filter.cause must be one of "
                + Arrays.stream(io.pulse.engine.domain.TransitionCause.values())
                    .map(io.pulse.engine.domain.TransitionCause::wireName)
                    .toList()
                + "; got 'sneeze'",
            "after must not be negative"),
        problems);
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedWithTheUrl() {
    assertEquals(
        List.of("url must be an absolute http or https URL; got 'ftp://orchestrator.example/'"),
        problems(define("ftp://orchestrator.example/", null, null, null)));
    assertEquals(List.of("url is required"), problems(define("  ", null, null, null)));
  }

  @Test
  void aNameThatResolvesToAPrivateAddressIsRefusedWithoutSayingWhichAddress() {
    assertEquals(
        List.of(WebhookTargetPolicy.NOT_ALLOWED),
        problems(define("https://internal.example/hook", null, null, null)));
  }

  @Test
  void aNameThatDoesNotResolveYetIsAcceptedForDeliveriesToCheck() {
    assertInstanceOf(
        NewSubscription.Defined.class, define("https://not-yet.example/hook", null, null, null));
  }

  @Test
  void theOperatorsAllowListLetsAnInternalReceiverThrough() {
    NewSubscription internal =
        new NewSubscription(WebhookTargetPolicy.allowing("10.0.0.0/8"), DNS, SECRETS);

    assertInstanceOf(
        NewSubscription.Defined.class,
        internal.define(
            new NewSubscription.Request("https://internal.example/hook", null, null, null), NOW));
  }

  @Test
  void aSubscriptionJournaledWithAPlainSecretKeepsShowingItsMask() {
    WebhookSubscription legacy =
        new WebhookSubscription(
            "sub-old", "https://orchestrator.example/", null, "plain-legacy-secret-abcd", NOW);

    assertEquals("****abcd", legacy.maskedSecret());
    assertEquals(
        "****",
        new WebhookSubscription("sub-old", "https://orchestrator.example/", null, "short", NOW)
            .maskedSecret());
  }
}
