package io.pulse.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem: what went wrong, for a client to show or act on. {@code errors} lists
 * per-field problems where there are several.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<String> errors) {

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem("urn:pulse:problem:" + slug, title, status, detail, null);
  }

  public Problem withErrors(List<String> fieldErrors) {
    return new Problem(type, title, status, detail, List.copyOf(fieldErrors));
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
