package io.pulse.engine.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What text from clients must be before it is stored: well-formed Unicode everywhere (a string with
 * an unpaired surrogate cannot be written as UTF-8, so it could never be journaled or shown), and
 * for a user id also no control characters, not {@code .} or {@code ..}, and a bounded length, so
 * that every accepted id reads back at its URL.
 */
public final class InputText {

  /** The longest user id, in bytes of UTF-8; percent-encoded it fits any URL limit. */
  public static final int MAX_USER_ID_BYTES = 256;

  /** What is said of a field whose text is not well-formed Unicode, after its name. */
  public static final String NOT_UNICODE =
      "is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)";

  private InputText() {}

  /** Whether every surrogate of {@code text} is half of a pair. */
  public static boolean isWellFormed(CharSequence text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 == length
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /** A C0 control, DEL or a C1 control. */
  public static boolean isControl(int codePoint) {
    return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f);
  }

  static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** The length of well-formed {@code text} in UTF-8, without encoding it. */
  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Why {@code userId} cannot name a user, if it cannot. */
  public static Optional<String> userIdProblem(String userId) {
    if (userId.isBlank()) {
      return Optional.of("userId must not be blank");
    }
    if (!isWellFormed(userId)) {
      return Optional.of("userId " + NOT_UNICODE);
    }
    if (hasControl(userId)) {
      return Optional.of(
          "userId must not contain control characters (U+0000 to U+001F, U+007F to U+009F)");
    }
    if (userId.equals(".") || userId.equals("..")) {
      return Optional.of("userId must not be '.' or '..', which no URL can name");
    }
    if (utf8Length(userId) > MAX_USER_ID_BYTES) {
      return Optional.of("userId must be at most " + MAX_USER_ID_BYTES + " bytes of UTF-8");
    }
    return Optional.empty();
  }

  /** Why the text {@code value} of {@code field} cannot be stored, if it cannot. */
  static Optional<String> textProblem(String field, String value) {
    if (!isWellFormed(value)) {
      return Optional.of(field + " " + NOT_UNICODE);
    }
    if (hasControl(value)) {
      return Optional.of(field + " must not contain control characters");
    }
    return Optional.empty();
  }

  /**
   * Why a JSON-like tree under {@code at} cannot be stored, if it cannot: a name or string that is
   * not well-formed Unicode, or a number that is not finite.
   */
  static Optional<String> treeProblem(String at, Object value) {
    TreeProblem problem = problemIn(value);
    return problem == null ? Optional.empty() : Optional.of(problem.under(at));
  }

  /**
   * A problem found in a tree, at {@code place} below its root ({@code ""} for the root itself).
   * Every accepted event's properties are walked: the place is named on the way back from a
   * problem, so a tree without one builds no name.
   */
  private record TreeProblem(String place, boolean inAFieldName, String what) {

    TreeProblem inside(String step) {
      return new TreeProblem(step + place, inAFieldName, what);
    }

    String under(String at) {
      return (inAFieldName ? "a field name in " : "") + at + place + " " + what;
    }
  }

  private static TreeProblem problemIn(Object value) {
    if (value instanceof String text) {
      return isWellFormed(text) ? null : new TreeProblem("", false, NOT_UNICODE);
    }
    if (value instanceof Double number && !Double.isFinite(number)
        || value instanceof Float single && !Float.isFinite(single)) {
      return new TreeProblem("", false, "must be a finite number");
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String name = String.valueOf(entry.getKey());
        if (!isWellFormed(name)) {
          return new TreeProblem("", true, NOT_UNICODE);
        }
        TreeProblem problem = problemIn(entry.getValue());
        if (problem != null) {
          return problem.inside("." + name);
        }
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        TreeProblem problem = problemIn(list.get(i));
        if (problem != null) {
          return problem.inside("[" + i + "]");
        }
      }
    }
    return null;
  }
}
