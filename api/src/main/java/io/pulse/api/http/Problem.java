package io.pulse.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.InputText;
import java.util.List;

/**
 * An RFC 9457 problem: what went wrong, for a client to show or act on. {@code errors} lists
 * per-field problems where there are several.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<String> errors) {

  public Problem {
    // A detail may quote what a client sent; text that is not Unicode could not even be written.
    detail = wellFormed(detail);
    errors = errors == null ? null : errors.stream().map(Problem::wellFormed).toList();
  }

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem("urn:pulse:problem:" + slug, title, status, detail, null);
  }

  public Problem withErrors(List<String> fieldErrors) {
    return new Problem(type, title, status, detail, List.copyOf(fieldErrors));
  }

  /** {@code text} with each unpaired surrogate replaced by U+FFFD. */
  static String wellFormed(String text) {
    if (text == null || InputText.isWellFormed(text)) {
      return text;
    }
    StringBuilder repaired = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        repaired.append(c).append(text.charAt(++i));
      } else {
        repaired.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return repaired.toString();
  }

  /** Thrown inside routes to answer with this problem. */
  public static final class Raised extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    public Raised(Problem problem) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  public Raised raise() {
    return new Raised(this);
  }
}
