package io.pulse.loadtest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  private static final String FIRST = "pulse_first_key_00000000000000aaaa";
  private static final String SECOND = "pulse_second_key_0000000000000bbbb";

  @TempDir Path temp;

  @Test
  void aCommaSeparatedListKeepsItsOrder() {
    ApiKeys keys = ApiKeys.parseList(FIRST + ", " + SECOND);

    assertEquals(2, keys.size());
    assertEquals(FIRST, keys.secret(0));
    assertEquals(SECOND, keys.secret(1));
    assertEquals("key 2 of 2 (****bbbb)", keys.describe(1));
  }

  @Test
  void aKeyFileHasOneKeyPerLineAndComments() throws Exception {
    Path file = temp.resolve("keys.txt");
    Files.writeString(file, "# tenants of the benchmark\n" + FIRST + "\n\n  " + SECOND + "  \n");

    ApiKeys keys = ApiKeys.readFile(file);

    assertEquals(2, keys.size());
    assertEquals(SECOND, keys.secret(1));
  }

  @Test
  void aFileWithoutKeysIsRefused() throws Exception {
    Path file = temp.resolve("empty.txt");
    Files.writeString(file, "# nothing yet\n\n");

    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.readFile(file));
    assertTrue(refused.getMessage().contains("holds no key"), refused.getMessage());
  }

  @Test
  void aKeyThatWouldBreakTheRequestHeadIsRefusedWithoutBeingPrinted() {
    String injected = "pulse_secret_part\r\nX-Evil: 1";
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(List.of(FIRST, injected)));
    assertEquals(
        "key 2 of 2 holds a space, a control or a non-ASCII character", refused.getMessage());
    assertFalse(refused.getMessage().contains("secret_part"));

    assertThrows(IllegalArgumentException.class, () -> ApiKeys.parseList(FIRST + ",," + SECOND));
    assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(List.of("pulse_clé_000")));
  }

  @Test
  void noSecretIsShownInMessages() {
    ApiKeys keys = ApiKeys.of(List.of(FIRST, "short"));

    assertEquals("2 API keys", keys.toString());
    assertEquals("key 2 of 2", keys.describe(1), "a short key shows no characters at all");
    assertFalse(keys.describe(0).contains(FIRST.substring(0, 10)));
    assertTrue(ApiKeys.of(List.of()).isEmpty());
  }
}
