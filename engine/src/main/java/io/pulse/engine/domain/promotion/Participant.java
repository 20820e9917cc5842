package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.SegmentTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One user as a campaign knows them: the transitions it has considered (by their per-user sequence,
 * which the engine numbers in journal order, so a redelivered transition is recognised), how often
 * the user was assigned a voucher or the control group, the group, the conversion windows the
 * assignments opened, whether the user converted, the user's codes, and the journal offset of the
 * last other occasion considered ({@code lastOffset}, 0 for none: a user's occasions reach the
 * campaign in journal order, so a redelivered one is recognised by an offset not above it).
 */
public record Participant(
    String userId,
    long lastSequence,
    List<String> unsequencedTransitionIds,
    int assignments,
    CampaignGroup group,
    List<ConversionWindow> windows,
    boolean converted,
    List<String> codes,
    long lastOffset) {

  public Participant {
    Objects.requireNonNull(userId, "userId");
    unsequencedTransitionIds =
        unsequencedTransitionIds == null ? List.of() : List.copyOf(unsequencedTransitionIds);
    windows = windows == null ? List.of() : List.copyOf(windows);
    codes = codes == null ? List.of() : List.copyOf(codes);
  }

  /** A participant without other occasions considered, as kept before there were any. */
  public Participant(
      String userId,
      long lastSequence,
      List<String> unsequencedTransitionIds,
      int assignments,
      CampaignGroup group,
      List<ConversionWindow> windows,
      boolean converted,
      List<String> codes) {
    this(
        userId,
        lastSequence,
        unsequencedTransitionIds,
        assignments,
        group,
        windows,
        converted,
        codes,
        0);
  }

  public static Participant first(String userId) {
    return new Participant(userId, -1, List.of(), 0, null, List.of(), false, List.of(), 0);
  }

  /**
   * The sequence number in a transition id {@code <userId>:<model>:<n>}; empty for an id of another
   * shape, which is then remembered whole.
   */
  static OptionalLong sequenceOf(SegmentTransition transition) {
    String prefix = transition.userId() + ":" + transition.model() + ":";
    String id = transition.id();
    if (!id.startsWith(prefix)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(id.substring(prefix.length())));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  public boolean hasConsidered(SegmentTransition transition) {
    OptionalLong sequence = sequenceOf(transition);
    return sequence.isPresent()
        ? sequence.getAsLong() <= lastSequence
        : unsequencedTransitionIds.contains(transition.id());
  }

  Participant considered(SegmentTransition transition) {
    OptionalLong sequence = sequenceOf(transition);
    if (sequence.isPresent()) {
      return new Participant(
          userId,
          Math.max(lastSequence, sequence.getAsLong()),
          unsequencedTransitionIds,
          assignments,
          group,
          windows,
          converted,
          codes,
          lastOffset);
    }
    List<String> ids = new ArrayList<>(unsequencedTransitionIds);
    ids.add(transition.id());
    return new Participant(
        userId, lastSequence, ids, assignments, group, windows, converted, codes, lastOffset);
  }

  /** Whether the occasion found at journal {@code offset} was considered before. */
  public boolean hasConsideredAt(long offset) {
    return offset <= lastOffset;
  }

  Participant consideredAt(long offset) {
    return new Participant(
        userId,
        lastSequence,
        unsequencedTransitionIds,
        assignments,
        group,
        windows,
        converted,
        codes,
        Math.max(lastOffset, offset));
  }

  /** Assigned to {@code assigned} (kept if already in a group), with a voucher code or none. */
  Participant assigned(CampaignGroup assigned, ConversionWindow window, String code) {
    List<ConversionWindow> newWindows = new ArrayList<>(windows);
    newWindows.add(window);
    List<String> newCodes = new ArrayList<>(codes);
    if (code != null) {
      newCodes.add(code);
    }
    return new Participant(
        userId,
        lastSequence,
        unsequencedTransitionIds,
        assignments + 1,
        group == null ? assigned : group,
        newWindows,
        converted,
        newCodes,
        lastOffset);
  }

  Participant withCodeReplaced(String code, String newCode) {
    List<String> newCodes = new ArrayList<>(codes);
    newCodes.replaceAll(existing -> existing.equals(code) ? newCode : existing);
    return new Participant(
        userId,
        lastSequence,
        unsequencedTransitionIds,
        assignments,
        group,
        windows,
        converted,
        newCodes,
        lastOffset);
  }

  Participant withConversion() {
    return new Participant(
        userId,
        lastSequence,
        unsequencedTransitionIds,
        assignments,
        group,
        windows,
        true,
        codes,
        lastOffset);
  }

  /** Whether a purchase at journal {@code offset}, dated {@code at}, is this user's conversion. */
  public boolean convertsWith(long offset, Instant at) {
    return group != null
        && !converted
        && windows.stream().anyMatch(window -> window.contains(offset, at));
  }
}
