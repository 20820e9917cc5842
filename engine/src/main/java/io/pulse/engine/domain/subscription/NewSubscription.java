package io.pulse.engine.domain.subscription;

import io.pulse.engine.domain.TransitionCause;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The rules a new webhook subscription follows: a receiver the target policy allows (its host
 * resolved and every address checked), a secret long enough to sign with (one is generated when
 * none is given), a known transition cause in the filter, and a start offset that is not negative.
 * A subscription that passes gets its id here and its secret sealed before anything is journaled.
 */
public final class NewSubscription {

  /** Shorter secrets make a weak signing key. */
  public static final int MIN_SECRET_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a client asks for; any field may be missing. */
  public record Request(String url, TransitionFilter filter, String secret, Long after) {}

  /** The outcome of {@link #define}. */
  public sealed interface Outcome permits Defined, Refused {}

  /**
   * A subscription ready to be created; {@code generatedSecret} is the secret the server made, to
   * be shown once in the answer, and empty when the client gave one.
   */
  public record Defined(WebhookSubscription subscription, Optional<String> generatedSecret)
      implements Outcome {}

  /** Every rule the request breaks, each naming its field. */
  public record Refused(List<String> problems) implements Outcome {
    public Refused {
      problems = List.copyOf(problems);
    }
  }

  private final WebhookTargetPolicy targets;
  private final HostResolver resolver;
  private final SecretBox secrets;

  public NewSubscription(WebhookTargetPolicy targets, HostResolver resolver, SecretBox secrets) {
    this.targets = targets;
    this.resolver = resolver;
    this.secrets = secrets;
  }

  /**
   * Checks {@code request} and, if it passes, defines the subscription created at {@code now}.
   * Resolves the URL's host name, so it may block: call it where blocking is allowed.
   */
  public Outcome define(Request request, Instant now) {
    List<String> problems = new ArrayList<>();
    String url = request.url();
    if (url == null || url.isBlank()) {
      problems.add("url is required");
    } else {
      List<String> urlProblems = targets.problemsOf(url);
      problems.addAll(urlProblems);
      if (urlProblems.isEmpty() && resolvesToRefusedAddress(url)) {
        problems.add(WebhookTargetPolicy.NOT_ALLOWED);
      }
    }
    String secret = request.secret();
    if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
      problems.add("secret must have at least " + MIN_SECRET_LENGTH + " characters");
    }
    TransitionFilter filter = TransitionFilter.orAny(request.filter());
    if (filter.cause() != null
        && Arrays.stream(TransitionCause.values())
            .noneMatch(cause -> cause.wireName().equals(filter.cause()))) {
      problems.add(
          "filter.cause must be one of "
              + Arrays.stream(TransitionCause.values()).map(TransitionCause::wireName).toList()
              + "; got '"
              + filter.cause()
              + "'");
    }
    if (request.after() != null && request.after() < 0) {
      problems.add("after must not be negative");
    }
    if (!problems.isEmpty()) {
      return new Refused(problems);
    }
    String id = "sub-" + UUID.randomUUID();
    Optional<String> generated = secret == null ? Optional.of(generatedSecret()) : Optional.empty();
    String plain = secret != null ? secret : generated.get();
    return new Defined(
        new WebhookSubscription(
            id, url, filter, secrets.seal(id, plain), now, WebhookSubscription.mask(plain)),
        generated);
  }

  /**
   * A name that does not resolve now is let through: the receiver may not be deployed yet, and
   * every delivery checks the addresses again anyway.
   */
  private boolean resolvesToRefusedAddress(String url) {
    try {
      return targets.refusesAny(WebhookTargetPolicy.hostOf(url), resolver);
    } catch (UnknownHostException notYet) {
      return false;
    }
  }

  private static String generatedSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + HexFormat.of().formatHex(bytes);
  }
}
