package io.pulse.engine.domain.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The shape of a campaign's voucher codes: every {@code #} is a random character from an alphabet
 * without look-alikes (no 0/O, 1/I/L), every other character is kept. {@code VIP-####-####} gives
 * codes like {@code VIP-7KQ2-XW9M}.
 */
public record CodePattern(String pattern) {

  /** Eight random characters: 40 bits. */
  public static final CodePattern DEFAULT = new CodePattern("########");

  public static final char RANDOM = '#';
  public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

  /** At least 30 bits of randomness, so that codes are hard to guess and rarely collide. */
  public static final int MIN_RANDOM_CHARACTERS = 6;

  public static final int MAX_LENGTH = 64;
  private static final Pattern ALLOWED = Pattern.compile("[A-Z0-9#_-]+");

  public List<String> problems(String at) {
    List<String> problems = new ArrayList<>();
    if (pattern == null || pattern.isEmpty()) {
      problems.add(at + " must not be empty");
      return problems;
    }
    if (pattern.length() > MAX_LENGTH) {
      problems.add(at + " must be at most " + MAX_LENGTH + " characters");
    }
    if (!ALLOWED.matcher(pattern).matches()) {
      problems.add(at + " may hold only A-Z, 0-9, '-', '_' and '#' (a random character)");
    }
    if (randomCharacters() < MIN_RANDOM_CHARACTERS) {
      problems.add(
          at + " needs at least " + MIN_RANDOM_CHARACTERS + " '#' (random characters) for codes");
    }
    return problems;
  }

  public int randomCharacters() {
    return pattern == null ? 0 : (int) pattern.chars().filter(c -> c == RANDOM).count();
  }

  /** A code of this shape whose random characters come from {@code random}. */
  public String generate(RandomGenerator random) {
    StringBuilder code = new StringBuilder(pattern.length());
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      code.append(c == RANDOM ? ALPHABET.charAt(random.nextInt(ALPHABET.length())) : c);
    }
    return code.toString();
  }
}
