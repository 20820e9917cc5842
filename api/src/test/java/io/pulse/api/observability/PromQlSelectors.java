package io.pulse.api.observability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The series selectors of a PromQL expression: each metric name it reads and the label names it
 * matches on. Function and aggregation names, label lists of {@code by}, {@code without}, {@code
 * on}, {@code ignoring} and {@code group_left}/{@code group_right}, range and subquery durations,
 * {@code offset} durations, numbers, strings and Grafana variables ({@code $var}, {@code ${var}},
 * {@code $__rate_interval}) are not metric names. Throws on an expression it cannot read, so that a
 * typo fails the test rather than hiding a metric.
 */
public final class PromQlSelectors {

  /** A metric read by an expression, with the labels its matchers name. */
  public record Selector(String metric, Set<String> labels) {}

  private enum Kind {
    IDENTIFIER,
    NUMBER,
    STRING,
    VARIABLE,
    PUNCTUATION,
    OPERATOR
  }

  private record Token(Kind kind, String text, int at) {
    boolean is(String punctuation) {
      return (kind == Kind.PUNCTUATION || kind == Kind.OPERATOR) && text.equals(punctuation);
    }
  }

  /** Keywords followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  /** Keywords that are neither metrics nor followed by labels. */
  private static final Set<String> OTHER_KEYWORDS =
      Set.of("and", "or", "unless", "bool", "atan2", "inf", "nan");

  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  private final String expression;
  private final List<Token> tokens;
  private int position;

  private PromQlSelectors(String expression) {
    this.expression = expression;
    this.tokens = tokenize(expression);
  }

  /** Every selector of {@code expression}, in order. */
  public static List<Selector> of(String expression) {
    return new PromQlSelectors(expression).selectors();
  }

  private List<Selector> selectors() {
    List<Selector> selectors = new ArrayList<>();
    int depth = 0;
    while (position < tokens.size()) {
      Token token = tokens.get(position++);
      switch (token.kind()) {
        case IDENTIFIER -> identifier(token, selectors);
        case PUNCTUATION -> {
          switch (token.text()) {
            case "(" -> depth++;
            case ")" -> depth--;
            case "[" -> skipPast("]");
            case "{" -> throw fail(token, "a metric name before the label matchers");
            case "}", "]" -> throw fail(token, "an unbalanced '" + token.text() + "'");
            default -> {}
          }
          if (depth < 0) {
            throw fail(token, "an unbalanced ')'");
          }
        }
        default -> {}
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced parentheses in: " + expression);
    }
    return selectors;
  }

  private void identifier(Token token, List<Selector> selectors) {
    String name = token.text();
    String lower = name.toLowerCase();
    if (LABEL_LIST_KEYWORDS.contains(lower)) {
      if (next() != null && next().is("(")) {
        position++;
        skipPast(")");
      } else if (!lower.startsWith("group_")) {
        throw fail(token, "'" + name + "' without a label list");
      }
      return;
    }
    if (lower.equals("offset")) {
      if (next() != null && next().is("-")) {
        position++;
      }
      position++;
      return;
    }
    if (OTHER_KEYWORDS.contains(lower)) {
      return;
    }
    Token following = next();
    if (following != null && following.is("(")) {
      // A function call, or an aggregation with its clause after the arguments.
      return;
    }
    if (AGGREGATIONS.contains(name)
        && following != null
        && following.kind() == Kind.IDENTIFIER
        && LABEL_LIST_KEYWORDS.contains(following.text().toLowerCase())) {
      return;
    }
    Set<String> labels = new LinkedHashSet<>();
    if (following != null && following.is("{")) {
      position++;
      labels = matchers();
    }
    selectors.add(new Selector(name, labels));
  }

  /** The label names of the matchers after a '{', up to and past its '}'. */
  private Set<String> matchers() {
    Set<String> labels = new LinkedHashSet<>();
    while (true) {
      Token token = take("a label matcher or '}'");
      if (token.is("}")) {
        return labels;
      }
      if (token.kind() != Kind.IDENTIFIER) {
        throw fail(token, "a label name");
      }
      Token operator = take("a matcher operator");
      if (!(operator.is("=") || operator.is("!=") || operator.is("=~") || operator.is("!~"))) {
        throw fail(operator, "a matcher operator");
      }
      Token value = take("a label value");
      if (value.kind() != Kind.STRING) {
        throw fail(value, "a quoted label value");
      }
      labels.add(token.text());
      Token after = take("',' or '}'");
      if (after.is("}")) {
        return labels;
      }
      if (!after.is(",")) {
        throw fail(after, "',' or '}'");
      }
    }
  }

  private void skipPast(String closing) {
    String opening = closing.equals(")") ? "(" : "[";
    int depth = 1;
    while (depth > 0) {
      Token token = take("'" + closing + "'");
      if (token.is(opening)) {
        depth++;
      } else if (token.is(closing)) {
        depth--;
      }
    }
  }

  private Token next() {
    return position < tokens.size() ? tokens.get(position) : null;
  }

  private Token take(String expected) {
    if (position >= tokens.size()) {
      throw new IllegalArgumentException("expected " + expected + " at the end of: " + expression);
    }
    return tokens.get(position++);
  }

  private IllegalArgumentException fail(Token token, String expected) {
    return new IllegalArgumentException(
        "expected "
            + expected
            + " at "
            + token.at()
            + " ('"
            + token.text()
            + "') in: "
            + expression);
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        // A comment runs to the end of the line.
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        i++;
        while (i < text.length() && text.charAt(i) != c) {
          i += text.charAt(i) == '\\' && c != '`' ? 2 : 1;
        }
        if (i >= text.length()) {
          throw new IllegalArgumentException("an unterminated string at " + start + " in: " + text);
        }
        i++;
        tokens.add(new Token(Kind.STRING, text.substring(start, i), start));
      } else if (c == '$') {
        i++;
        if (i < text.length() && text.charAt(i) == '{') {
          i = text.indexOf('}', i);
          if (i < 0) {
            throw new IllegalArgumentException("an unterminated ${ at " + start + " in: " + text);
          }
          i++;
        } else {
          while (i < text.length() && isNameChar(text.charAt(i))) {
            i++;
          }
        }
        tokens.add(new Token(Kind.VARIABLE, text.substring(start, i), start));
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
        // Numbers and durations: 0.99, 1e-3, 0x1f, 5m, 1h30m.
        i++;
        while (i < text.length()) {
          char d = text.charAt(i);
          char previous = text.charAt(i - 1);
          if (Character.isLetterOrDigit(d) || d == '.' || d == '_') {
            i++;
          } else if ((d == '+' || d == '-') && (previous == 'e' || previous == 'E')) {
            i++;
          } else {
            break;
          }
        }
        tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start));
      } else if (isNameStart(c)) {
        while (i < text.length() && isNameChar(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.IDENTIFIER, text.substring(start, i), start));
      } else if ("(){}[],".indexOf(c) >= 0) {
        i++;
        tokens.add(new Token(Kind.PUNCTUATION, String.valueOf(c), start));
      } else {
        String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
        if (List.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
          i += 2;
        } else if ("+-*/%^<>=@:".indexOf(c) >= 0) {
          i++;
        } else {
          throw new IllegalArgumentException(
              "an unexpected '" + c + "' at " + start + " in: " + text);
        }
        tokens.add(new Token(Kind.OPERATOR, text.substring(start, i), start));
      }
    }
    return tokens;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }
}
