package io.pulse.api.http;

import java.util.regex.Pattern;

/**
 * Messages written by libraries (Pekko's rejections and parse errors) shown to a client only when
 * they name nothing of the implementation: no class, package, exception or setting. Otherwise the
 * client gets the plain reason instead.
 */
final class PublicText {

  private static final Pattern INTERNAL =
      Pattern.compile(
          "java\\.|javax\\.|scala\\.|pekko\\.|com\\.fasterxml|org\\.apache|Exception|Feature|"
              + "Constraints|\\$|`");
  private static final int LONGEST = 300;

  private PublicText() {}

  /** {@code text}, one line and at most 300 characters, or {@code fallback} if it says too much. */
  static String orElse(String text, String fallback) {
    if (text == null || text.isBlank() || INTERNAL.matcher(text).find()) {
      return fallback;
    }
    String line = Problem.wellFormed(text).replaceAll("\\p{Cntrl}+", " ").strip();
    return line.length() <= LONGEST ? line : line.substring(0, LONGEST - 3) + "...";
  }
}
