package io.pulse.api.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Jackson's failures in this API's own words: what is wrong and where, by field path or by line and
 * column, and never the name of a class, a feature or a setting, which mean nothing to a client.
 */
public final class JsonProblems {

  /** What went wrong with a body, and whether it is about one field (not the JSON as a whole). */
  public record Described(String detail, boolean field) {}

  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'");
  private static final Pattern ALLOWED = Pattern.compile("maximum allowed \\((\\d+)");
  private static final Pattern ACTUAL =
      Pattern.compile(
          "(?:from|Cannot coerce) (String|Integer|Floating-point|Float|Boolean|Object|Array|Number|Null)");

  private JsonProblems() {}

  /** Each key of {@code node}, an object read by hand, that {@code allowed} does not name. */
  static void unknownKeys(String at, JsonNode node, Set<String> allowed, List<String> problems) {
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!allowed.contains(field)) {
                problems.add(at + ": unknown key '" + field + "'");
              }
            });
  }

  /** Whether Jackson's byte reader refused a field name for an unpaired surrogate escape in it. */
  public static boolean surrogateInFieldName(IOException failure) {
    Throwable cause =
        failure instanceof JsonMappingException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String message =
        cause instanceof JsonProcessingException processing
            ? String.valueOf(processing.getOriginalMessage())
            : "";
    return message.contains("surrogate") && message.contains("field name");
  }

  /** A failure of reading a request body. */
  public static Described describe(IOException failure) {
    if (failure instanceof UnrecognizedPropertyException unknown) {
      String at = path(unknown, 1);
      return new Described(
          "unknown field '" + unknown.getPropertyName() + "'" + (at.isEmpty() ? "" : " at " + at),
          true);
    }
    if (failure instanceof JsonMappingException mapping) {
      if (mapping.getCause() instanceof JsonProcessingException parsing
          && !(parsing instanceof JsonMappingException)) {
        return describe(parsing);
      }
      return new Described(mismatch(mapping), true);
    }
    if (failure instanceof JsonProcessingException processing) {
      return parsing(processing);
    }
    return new Described("the body could not be read", false);
  }

  private static Described parsing(JsonProcessingException failure) {
    String message = String.valueOf(failure.getOriginalMessage());
    Matcher duplicate = DUPLICATE.matcher(message);
    if (duplicate.find()) {
      String at = pointerPath(failure);
      return new Described(
          (at.isEmpty() ? "field '" + duplicate.group(1) + "'" : at) + " appears more than once",
          true);
    }
    if (failure instanceof StreamConstraintsException) {
      return new Described(constraint(message), false);
    }
    if (failure instanceof JsonEOFException) {
      return new Described("the JSON ends before its value is complete", false);
    }
    return new Described("malformed JSON" + where(failure) + reason(message), false);
  }

  private static String constraint(String message) {
    Matcher allowed = ALLOWED.matcher(message);
    String most = allowed.find() ? allowed.group(1) : null;
    String bound = most == null ? "" : " (at most " + most + ")";
    if (message.startsWith("Number value length")) {
      return "a number has too many digits" + bound;
    }
    if (message.startsWith("String value length")) {
      return "a string is too long" + bound;
    }
    if (message.startsWith("Name length")) {
      return "a field name is too long" + bound;
    }
    if (message.contains("nesting depth")) {
      return "the JSON is nested too deeply" + bound;
    }
    return "the JSON is too large";
  }

  private static String reason(String message) {
    if (message.startsWith("Non-standard token")) {
      return ": NaN and Infinity are not JSON numbers";
    }
    if (message.startsWith("Illegal unquoted character")) {
      return ": a control character in a string must be escaped";
    }
    if (message.startsWith("Unrecognized character escape")) {
      return ": an unknown escape in a string";
    }
    if (message.startsWith("Unrecognized token")) {
      return ": a word that is not true, false or null (strings take double quotes)";
    }
    if (message.contains("was expecting double-quote to start field name")) {
      return ": a field name must be a string in double quotes";
    }
    if (message.startsWith("Invalid numeric value") || message.contains("Leading zeroes")) {
      return ": a malformed number";
    }
    if (message.startsWith("Trailing token") || message.contains("after the JSON value")) {
      return ": content after the JSON value";
    }
    if (message.startsWith("Unexpected character")) {
      return ": unexpected character";
    }
    return "";
  }

  private static String where(JsonProcessingException failure) {
    JsonLocation location = failure.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String mismatch(JsonMappingException failure) {
    String at = path(failure, 0);
    String field = at.isEmpty() ? "the body" : at;
    String message = String.valueOf(failure.getOriginalMessage());
    if (message.contains("out of range")) {
      return field + " is out of range";
    }
    if (failure instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      String expected = expected(mismatch.getTargetType());
      Matcher actual = ACTUAL.matcher(message);
      if (!actual.find()) {
        return field + " must be " + expected;
      }
      String kind = actualKind(actual.group(1));
      if (expected.equals("a whole number") && kind.equals("a number")) {
        kind = "a decimal number";
      }
      return field + " must be " + expected + ", not " + kind;
    }
    return field + " is invalid";
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type == String.class || type == Character.class || type == char.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "a different kind of value";
  }

  private static String actualKind(String jacksonKind) {
    return switch (jacksonKind) {
      case "String" -> "a string";
      case "Integer", "Floating-point", "Float", "Number" -> "a number";
      case "Boolean" -> "true or false";
      case "Object" -> "an object";
      case "Array" -> "an array";
      default -> "null";
    };
  }

  /** The dotted path of a mapping failure, leaving out its last {@code drop} steps. */
  private static String path(JsonMappingException failure, int drop) {
    List<JsonMappingException.Reference> steps = failure.getPath();
    return steps.subList(0, Math.max(0, steps.size() - drop)).stream()
        .map(
            step ->
                step.getFieldName() != null
                    ? "." + step.getFieldName()
                    : "[" + step.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  /** The dotted path of where a parser was when it failed, from its JSON pointer. */
  private static String pointerPath(JsonProcessingException failure) {
    if (!(failure.getProcessor() instanceof JsonParser parser)) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext context = parser.getParsingContext();
        context != null && !context.inRoot();
        context = context.getParent()) {
      String step =
          context.inArray()
              ? "[" + context.getCurrentIndex() + "]"
              : context.getCurrentName() == null ? "" : "." + context.getCurrentName();
      path.insert(0, step);
    }
    return path.toString().replaceFirst("^\\.", "");
  }
}
