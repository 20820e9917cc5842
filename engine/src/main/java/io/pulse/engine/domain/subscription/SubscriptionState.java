package io.pulse.engine.domain.subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything durable about one webhook subscription: its definition, how far delivery has come, and
 * the letters that could not be delivered. {@code generation} changes whenever delivery must start
 * over from the stored position (a replay, a redelivery), so that reports of an earlier delivery
 * run cannot move the position of the new one.
 */
public record SubscriptionState(
    WebhookSubscription subscription,
    boolean deleted,
    long deliveredOffset,
    long generation,
    List<DeadLetter> deadLetters,
    long deadLettersDropped) {

  public static final SubscriptionState EMPTY =
      new SubscriptionState(null, false, 0, 0, List.of(), 0);

  public SubscriptionState {
    deadLetters = deadLetters == null ? List.of() : List.copyOf(deadLetters);
  }

  /** Created and not deleted: deliveries run. */
  public boolean isActive() {
    return subscription != null && !deleted;
  }

  /** The dead letters an operator asked to redeliver and that are not delivered yet. */
  public List<DeadLetter> pendingRedeliveries() {
    return deadLetters.stream().filter(DeadLetter::redelivering).toList();
  }

  public Optional<DeadLetter> deadLetterAt(long offset) {
    return deadLetters.stream().filter(letter -> letter.offset() == offset).findFirst();
  }

  /** The change that records delivery up to {@code offset} by run {@code run}, if it moves on. */
  public Optional<SubscriptionChange> delivered(long run, long offset) {
    if (!isActive() || run != generation || offset <= deliveredOffset) {
      return Optional.empty();
    }
    return Optional.of(new SubscriptionChange.DeliveredUpTo(offset));
  }

  /** The change that files {@code letter} from run {@code run}; none from an outdated run. */
  public Optional<SubscriptionChange> deadLettered(long run, DeadLetter letter, int keepAtMost) {
    if (!isActive() || run != generation) {
      return Optional.empty();
    }
    return Optional.of(new SubscriptionChange.DeadLettered(letter, keepAtMost));
  }

  public SubscriptionState apply(SubscriptionChange change) {
    if (change instanceof SubscriptionChange.Created created) {
      return new SubscriptionState(
          created.subscription(), false, Math.max(0, created.startAfter()), 1, List.of(), 0);
    }
    if (change instanceof SubscriptionChange.Deleted) {
      return new SubscriptionState(
          subscription, true, deliveredOffset, generation + 1, deadLetters, deadLettersDropped);
    }
    if (change instanceof SubscriptionChange.DeliveredUpTo delivered) {
      return new SubscriptionState(
          subscription,
          deleted,
          Math.max(deliveredOffset, delivered.offset()),
          generation,
          deadLetters,
          deadLettersDropped);
    }
    if (change instanceof SubscriptionChange.DeadLettered filed) {
      return withDeadLetter(filed.letter(), filed.keepAtMost());
    }
    if (change instanceof SubscriptionChange.DeadLetterDelivered done) {
      return new SubscriptionState(
          subscription,
          deleted,
          deliveredOffset,
          generation,
          deadLetters.stream().filter(letter -> letter.offset() != done.offset()).toList(),
          deadLettersDropped);
    }
    if (change instanceof SubscriptionChange.SecretResealed resealed) {
      // The run under way keeps the value it started with, which still opens while the previous
      // key is configured; the next run (at the latest the restart that drops that key) signs
      // with this one.
      return new SubscriptionState(
          subscription == null ? null : subscription.withStoredSecret(resealed.secret()),
          deleted,
          deliveredOffset,
          generation,
          deadLetters,
          deadLettersDropped);
    }
    if (change instanceof SubscriptionChange.RedeliveryRequested) {
      return new SubscriptionState(
          subscription,
          deleted,
          deliveredOffset,
          generation + 1,
          deadLetters.stream().map(DeadLetter::redeliveryStarted).toList(),
          deadLettersDropped);
    }
    SubscriptionChange.ReplayRequested replay = (SubscriptionChange.ReplayRequested) change;
    return new SubscriptionState(
        subscription,
        deleted,
        Math.max(0, replay.fromOffset() - 1),
        generation + 1,
        deadLetters,
        deadLettersDropped);
  }

  private SubscriptionState withDeadLetter(DeadLetter letter, int keepAtMost) {
    List<DeadLetter> letters = new ArrayList<>(deadLetters.size() + 1);
    for (DeadLetter existing : deadLetters) {
      if (existing.offset() != letter.offset()) {
        letters.add(existing);
      }
    }
    letters.add(letter);
    letters.sort(Comparator.comparingLong(DeadLetter::offset));
    int excess = Math.max(0, letters.size() - Math.max(1, keepAtMost));
    return new SubscriptionState(
        subscription,
        deleted,
        deliveredOffset,
        generation,
        letters.subList(excess, letters.size()),
        deadLettersDropped + excess);
  }
}
