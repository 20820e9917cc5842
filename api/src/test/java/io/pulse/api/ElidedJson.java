package io.pulse.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as documentation shows it, with {@code ...} for what varies or is left out, and the check
 * that an answer looks like it. {@code ...} as a member of an object or an element of an array:
 * more members or elements may follow (without it, the object has exactly the members shown, the
 * array exactly the elements); as a value: any value; at the end of a string ({@code "key_..."}):
 * any string that starts so; at the end of a number ({@code 2.7773...}): any number within one unit
 * of the last digit shown.
 */
final class ElidedJson {

  private static final String ELLIPSIS = "...";

  private final String text;
  private final Shape shape;
  private int position;

  private ElidedJson(String text) {
    this.text = text;
    this.shape = value();
    skipSpace();
    if (position != text.length()) {
      throw new IllegalArgumentException(
          "unexpected text at " + position + ": " + text.substring(position));
    }
  }

  static ElidedJson parse(String text) {
    return new ElidedJson(text);
  }

  /** What in {@code actual} differs from what is shown, one line per difference; empty if none. */
  List<String> differences(JsonNode actual) {
    List<String> differences = new ArrayList<>();
    shape.compare("$", actual, differences);
    return differences;
  }

  private sealed interface Shape {
    void compare(String path, JsonNode actual, List<String> differences);
  }

  private record AnyValue() implements Shape {
    @Override
    public void compare(String path, JsonNode actual, List<String> differences) {
      if (actual == null || actual.isMissingNode()) {
        differences.add(path + ": missing");
      }
    }
  }

  private record ObjectShape(Map<String, Shape> members, boolean more) implements Shape {
    @Override
    public void compare(String path, JsonNode actual, List<String> differences) {
      if (actual == null || !actual.isObject()) {
        differences.add(path + ": expected an object, was " + actual);
        return;
      }
      members.forEach(
          (name, member) -> member.compare(path + "." + name, actual.get(name), differences));
      if (!more) {
        actual
            .fieldNames()
            .forEachRemaining(
                name -> {
                  if (!members.containsKey(name)) {
                    differences.add(path + "." + name + ": not shown, but answered");
                  }
                });
      }
    }
  }

  private record ArrayShape(List<Shape> elements, boolean more) implements Shape {
    @Override
    public void compare(String path, JsonNode actual, List<String> differences) {
      if (actual == null || !actual.isArray()) {
        differences.add(path + ": expected an array, was " + actual);
        return;
      }
      if (more ? actual.size() < elements.size() : actual.size() != elements.size()) {
        differences.add(
            path
                + ": "
                + elements.size()
                + (more ? " or more" : "")
                + " elements shown, "
                + actual.size()
                + " answered");
        return;
      }
      for (int i = 0; i < elements.size(); i++) {
        elements.get(i).compare(path + "[" + i + "]", actual.get(i), differences);
      }
    }
  }

  private record StringShape(String value, boolean prefix) implements Shape {
    @Override
    public void compare(String path, JsonNode actual, List<String> differences) {
      boolean same =
          actual != null
              && actual.isTextual()
              && (prefix ? actual.asText().startsWith(value) : actual.asText().equals(value));
      if (!same) {
        differences.add(
            path + ": expected \"" + value + (prefix ? "...\"" : "\"") + ", was " + actual);
      }
    }
  }

  private record NumberShape(BigDecimal value, BigDecimal tolerance) implements Shape {
    @Override
    public void compare(String path, JsonNode actual, List<String> differences) {
      boolean same =
          actual != null
              && actual.isNumber()
              && actual.decimalValue().subtract(value).abs().compareTo(tolerance) <= 0;
      if (!same) {
        differences.add(
            path
                + ": expected "
                + value
                + (tolerance.signum() > 0 ? "..." : "")
                + ", was "
                + actual);
      }
    }
  }

  private record LiteralShape(String literal) implements Shape {
    @Override
    public void compare(String path, JsonNode actual, List<String> differences) {
      if (actual == null || !actual.isValueNode() || !actual.toString().equals(literal)) {
        differences.add(path + ": expected " + literal + ", was " + actual);
      }
    }
  }

  private Shape value() {
    skipSpace();
    if (text.startsWith(ELLIPSIS, position)) {
      position += ELLIPSIS.length();
      return new AnyValue();
    }
    char c = peek();
    if (c == '{') {
      return object();
    }
    if (c == '[') {
      return array();
    }
    if (c == '"') {
      String value = string();
      boolean prefix = value.endsWith(ELLIPSIS);
      return new StringShape(
          prefix ? value.substring(0, value.length() - ELLIPSIS.length()) : value, prefix);
    }
    for (String literal : List.of("true", "false", "null")) {
      if (text.startsWith(literal, position)) {
        position += literal.length();
        return new LiteralShape(literal);
      }
    }
    return number();
  }

  private Shape object() {
    expect('{');
    Map<String, Shape> members = new LinkedHashMap<>();
    boolean more = false;
    skipSpace();
    if (peek() == '}') {
      position++;
      return new ObjectShape(members, false);
    }
    while (true) {
      skipSpace();
      if (text.startsWith(ELLIPSIS, position)) {
        position += ELLIPSIS.length();
        more = true;
      } else {
        String name = string();
        skipSpace();
        expect(':');
        members.put(name, value());
      }
      skipSpace();
      if (peek() == ',') {
        position++;
      } else {
        expect('}');
        return new ObjectShape(members, more);
      }
    }
  }

  private Shape array() {
    expect('[');
    List<Shape> elements = new ArrayList<>();
    boolean more = false;
    skipSpace();
    if (peek() == ']') {
      position++;
      return new ArrayShape(elements, false);
    }
    while (true) {
      skipSpace();
      if (text.startsWith(ELLIPSIS, position)) {
        position += ELLIPSIS.length();
        more = true;
      } else if (more) {
        throw new IllegalArgumentException("an element after '...' at " + position);
      } else {
        elements.add(value());
      }
      skipSpace();
      if (peek() == ',') {
        position++;
      } else {
        expect(']');
        return new ArrayShape(elements, more);
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (peek() != '"') {
      char c = text.charAt(position++);
      if (c == '\\') {
        c = text.charAt(position++);
      }
      value.append(c);
    }
    position++;
    return value.toString();
  }

  private Shape number() {
    int start = position;
    while (position < text.length() && "-+0123456789.eE".indexOf(text.charAt(position)) >= 0) {
      if (text.startsWith(ELLIPSIS, position)) {
        break;
      }
      position++;
    }
    if (start == position) {
      throw new IllegalArgumentException(
          "a value expected at " + start + ": " + text.substring(start));
    }
    BigDecimal value = new BigDecimal(text.substring(start, position));
    if (text.startsWith(ELLIPSIS, position)) {
      position += ELLIPSIS.length();
      return new NumberShape(value, BigDecimal.ONE.movePointLeft(Math.max(0, value.scale())));
    }
    return new NumberShape(value, BigDecimal.ZERO);
  }

  private char peek() {
    if (position >= text.length()) {
      throw new IllegalArgumentException("the text ends too early: " + text);
    }
    return text.charAt(position);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new IllegalArgumentException(
          "'" + c + "' expected at " + position + ": " + text.substring(position));
    }
    position++;
  }

  private void skipSpace() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
  }
}
