package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Compares answers as JSON trees and says where they differ. */
final class JsonTrees {

  /**
   * Scores come from {@code Math.exp}, {@code Math.pow} and {@code Math.log}, which Java allows to
   * differ in the last bit between platforms and JVMs (they are not {@code StrictMath}), so a
   * fractional number may differ by that much and no more. Whole numbers, strings, booleans, nulls,
   * keys and the order of arrays must be the same.
   */
  private static final double RELATIVE_TOLERANCE = 1e-9;

  private JsonTrees() {}

  /** Every difference between two sets of answers, by request path and place in the body. */
  static List<String> differences(Map<String, JsonNode> expected, Map<String, JsonNode> actual) {
    List<String> differences = new ArrayList<>();
    Set<String> paths = new TreeSet<>(expected.keySet());
    paths.addAll(actual.keySet());
    for (String path : paths) {
      JsonNode was = expected.get(path);
      JsonNode is = actual.get(path);
      if (was == null || is == null) {
        differences.add(path + ": " + (was == null ? "not recorded" : "not answered"));
      } else {
        differences.addAll(differences(path + " ", was, is));
      }
    }
    return differences;
  }

  /** Every difference between two trees, each prefixed with {@code where}. */
  static List<String> differences(String where, JsonNode expected, JsonNode actual) {
    List<String> differences = new ArrayList<>();
    compare(where + "$", expected, actual, differences);
    return differences;
  }

  /** An empty object or array, or null: what an added field holds for data written without it. */
  private static boolean isEmpty(JsonNode node) {
    return node.isNull() || (node.isContainerNode() && node.isEmpty());
  }

  private static void compare(String at, JsonNode expected, JsonNode actual, List<String> out) {
    if (expected.isNumber() && actual.isNumber()) {
      if (!sameNumber(expected, actual)) {
        out.add(at + ": expected " + expected + " but was " + actual);
      }
      return;
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      out.add(at + ": expected " + expected + " but was " + actual);
      return;
    }
    if (expected.isObject()) {
      Set<String> names = new TreeSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode was = expected.get(name);
        JsonNode is = actual.get(name);
        if (was == null) {
          // Fields may be added, never renamed or removed; what the release wrote has nothing in
          // a field it did not know, so an added field holds nothing for its data.
          if (!isEmpty(is)) {
            out.add(at + "." + name + ": not expected, was " + is);
          }
        } else if (is == null) {
          out.add(at + "." + name + ": expected " + was + " but is missing");
        } else {
          compare(at + "." + name, was, is, out);
        }
      }
      return;
    }
    if (expected.isArray()) {
      if (expected.size() != actual.size()) {
        out.add(at + ": expected " + expected.size() + " items but was " + actual.size());
      }
      Iterator<JsonNode> was = expected.elements();
      Iterator<JsonNode> is = actual.elements();
      int index = 0;
      while (was.hasNext() && is.hasNext()) {
        compare(at + "[" + index++ + "]", was.next(), is.next(), out);
      }
      return;
    }
    if (!expected.equals(actual)) {
      out.add(at + ": expected " + expected + " but was " + actual);
    }
  }

  private static boolean sameNumber(JsonNode expected, JsonNode actual) {
    if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
      return expected.bigIntegerValue().equals(actual.bigIntegerValue());
    }
    double was = expected.doubleValue();
    double is = actual.doubleValue();
    if (was == is) {
      return true;
    }
    double scale = Math.max(1, Math.max(Math.abs(was), Math.abs(is)));
    return Math.abs(was - is) <= RELATIVE_TOLERANCE * scale;
  }
}
