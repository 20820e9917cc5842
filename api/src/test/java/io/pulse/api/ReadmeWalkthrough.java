package io.pulse.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's "Walkthrough with curl": its shell blocks, and the answer shown under each curl
 * command, a comment that starts with the status and goes on with the body ({@link ElidedJson}).
 */
final class ReadmeWalkthrough {

  static final String HEADING = "## Walkthrough with curl";

  private static final Pattern SHELL_BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");
  private static final Pattern ANSWER = Pattern.compile("(?s)(\\d{3})(?:\\s+(.*))?");

  /** A curl command and the answer shown under it; {@code status} 0 when none is shown. */
  record Step(String command, int status, String body) {
    ElidedJson shownBody() {
      return body == null || body.isBlank() ? null : ElidedJson.parse(body);
    }
  }

  private ReadmeWalkthrough() {}

  /** The walkthrough, from its heading to the next section. */
  static String section(String readme) {
    int start = readme.indexOf(HEADING);
    if (start < 0) {
      throw new IllegalArgumentException("the README has no '" + HEADING + "'");
    }
    int end = readme.indexOf("\n## ", start + HEADING.length());
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /** Its shell blocks, one after the other, as one script. */
  static String script(String section) {
    StringBuilder script = new StringBuilder();
    Matcher block = SHELL_BLOCK.matcher(section);
    while (block.find()) {
      script.append(block.group(1));
    }
    return script.toString();
  }

  /** Its curl commands in order, each with the answer shown under it. */
  static List<Step> steps(String section) {
    List<Step> steps = new ArrayList<>();
    for (String line : script(section).split("\n")) {
      if (line.startsWith("curl ")) {
        steps.add(new Step(line, 0, null));
      } else if (steps.isEmpty()) {
        continue;
      } else {
        Step last = steps.get(steps.size() - 1);
        if (line.startsWith("#")) {
          String shown = line.substring(1).strip();
          if (last.status() == 0) {
            Matcher answer = ANSWER.matcher(shown);
            if (!answer.matches()) {
              throw new IllegalArgumentException(
                  "an answer starts with its status: '" + line + "' under " + last.command());
            }
            steps.set(
                steps.size() - 1,
                new Step(last.command(), Integer.parseInt(answer.group(1)), answer.group(2)));
          } else {
            String body = last.body() == null ? shown : last.body() + "\n" + shown;
            steps.set(steps.size() - 1, new Step(last.command(), last.status(), body));
          }
        } else if (last.status() == 0) {
          steps.set(steps.size() - 1, new Step(last.command() + "\n" + line, 0, null));
        }
      }
    }
    return steps;
  }
}
