package io.pulse.loadtest.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The API keys a run sends as {@code Authorization: Bearer <key>}, taken in turn by its requests;
 * none for a server that asks for no key. Several keys, one per tenant, spread a run over tenants.
 * A key is a secret: this class never prints one, only its position and last four characters.
 */
public final class ApiKeys {
  private static final ApiKeys NONE = new ApiKeys(List.of());

  /** Characters shown of a key in messages, as the server's own masked keys show them. */
  private static final int HINT_LENGTH = 4;

  private final List<String> secrets;

  private ApiKeys(List<String> secrets) {
    this.secrets = secrets;
  }

  public static ApiKeys none() {
    return NONE;
  }

  /**
   * @throws IllegalArgumentException naming the position of a key that is empty or holds a space, a
   *     control or a non-ASCII character (which would break the request head)
   */
  public static ApiKeys of(List<String> keys) {
    List<String> checked = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i) == null ? "" : keys.get(i).strip();
      String problem = problem(key);
      if (problem != null) {
        throw new IllegalArgumentException("key " + (i + 1) + " of " + keys.size() + " " + problem);
      }
      checked.add(key);
    }
    return checked.isEmpty() ? NONE : new ApiKeys(List.copyOf(checked));
  }

  /** Keys separated by commas, as {@code --keys} takes them. */
  public static ApiKeys parseList(String commaSeparated) {
    List<String> keys = new ArrayList<>();
    for (String part : commaSeparated.split(",", -1)) {
      keys.add(part.strip());
    }
    return of(keys);
  }

  /** One key per line; blank lines and lines starting with {@code #} are skipped. */
  public static ApiKeys readFile(Path file) throws IOException {
    List<String> keys = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String key = line.strip();
      if (!key.isEmpty() && !key.startsWith("#")) {
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no key (one key per line)");
    }
    try {
      return of(keys);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static String problem(String key) {
    if (key.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return "holds a space, a control or a non-ASCII character";
      }
    }
    return null;
  }

  public int size() {
    return secrets.size();
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  /** The secret itself, for the request head only. */
  public String secret(int index) {
    return secrets.get(index);
  }

  /** How messages name a key: {@code key 2 of 3 (****abcd)}. */
  public String describe(int index) {
    String key = secrets.get(index);
    String hint =
        key.length() >= 4 * HINT_LENGTH
            ? " (****" + key.substring(key.length() - HINT_LENGTH) + ")"
            : "";
    return "key " + (index + 1) + " of " + secrets.size() + hint;
  }

  @Override
  public String toString() {
    return secrets.size() + (secrets.size() == 1 ? " API key" : " API keys");
  }
}
