package io.pulse.api.recipes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests of {@code docs/recipes.md}: each recipe ({@code ## <n>. <title>}) and its {@code
 * http} blocks, a request line ({@code PUT /v1/...}) followed by its JSON body.
 */
final class Recipes {

  /** One request of a recipe, as the page shows it. */
  record Request(String method, String path, String body) {

    /** The same request with each key of {@code substitutions} replaced in its body. */
    Request with(Map<String, String> substitutions) {
      String changed = body;
      for (Map.Entry<String, String> substitution : substitutions.entrySet()) {
        if (!changed.contains(substitution.getKey())) {
          continue;
        }
        changed = changed.replace(substitution.getKey(), substitution.getValue());
      }
      return new Request(method, path, changed);
    }
  }

  private static final Pattern HEADING = Pattern.compile("(?m)^## (\\d+)\\. .*$");
  private static final Pattern HTTP_BLOCK = Pattern.compile("(?s)```http\\n(.*?)```");

  private final Map<String, List<Request>> byNumber;

  private Recipes(Map<String, List<Request>> byNumber) {
    this.byNumber = byNumber;
  }

  static Recipes load() {
    Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..");
    try {
      return parse(Files.readString(root.normalize().resolve("docs/recipes.md")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Recipes parse(String page) {
    Map<String, List<Request>> byNumber = new LinkedHashMap<>();
    Matcher heading = HEADING.matcher(page);
    List<Integer> starts = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    while (heading.find()) {
      starts.add(heading.start());
      numbers.add(heading.group(1));
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1) : page.length();
      String section = page.substring(starts.get(i), end);
      List<Request> requests = new ArrayList<>();
      Matcher block = HTTP_BLOCK.matcher(section);
      while (block.find()) {
        String text = block.group(1);
        int lineEnd = text.indexOf('\n');
        String[] requestLine = text.substring(0, lineEnd).trim().split(" ");
        requests.add(new Request(requestLine[0], requestLine[1], text.substring(lineEnd + 1)));
      }
      byNumber.put(numbers.get(i), List.copyOf(requests));
    }
    return new Recipes(byNumber);
  }

  /** The requests of recipe {@code number}, in the order the page gives them. */
  List<Request> of(String number) {
    List<Request> requests = byNumber.get(number);
    if (requests == null || requests.isEmpty()) {
      throw new IllegalArgumentException("docs/recipes.md has no requests for recipe " + number);
    }
    return requests;
  }

  int count() {
    return byNumber.size();
  }
}
