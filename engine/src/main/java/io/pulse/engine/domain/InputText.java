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
    // Every accepted event's properties pass here: the names of the places are built only for a
    // tree that has a problem to name.
    return isStorable(value) ? Optional.empty() : problemIn(at, value);
  }

  private static boolean isStorable(Object value) {
    if (value instanceof String text) {
      return isWellFormed(text);
    }
    if (value instanceof Double number) {
      return Double.isFinite(number);
    }
    if (value instanceof Float single) {
      return Float.isFinite(single);
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!isWellFormed(String.valueOf(entry.getKey())) || !isStorable(entry.getValue())) {
          return false;
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object element : list) {
        if (!isStorable(element)) {
          return false;
        }
      }
    }
    return true;
  }

  private static Optional<String> problemIn(String at, Object value) {
    if (value instanceof String text) {
      return isWellFormed(text) ? Optional.empty() : Optional.of(at + " " + NOT_UNICODE);
    }
    if (value instanceof Double number && !Double.isFinite(number)
        || value instanceof Float single && !Float.isFinite(single)) {
      return Optional.of(at + " must be a finite number");
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String name = String.valueOf(entry.getKey());
        if (!isWellFormed(name)) {
          return Optional.of("a field name in " + at + " " + NOT_UNICODE);
        }
        Optional<String> problem = problemIn(at + "." + name, entry.getValue());
        if (problem.isPresent()) {
          return problem;
        }
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Optional<String> problem = problemIn(at + "[" + i + "]", list.get(i));
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }
}
