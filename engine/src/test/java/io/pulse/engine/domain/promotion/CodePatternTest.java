package io.pulse.engine.domain.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodePatternTest {

  @Test
  void randomCharactersFillTheHashesAndTheRestIsKept() {
    String code = new CodePattern("VIP-####-####").generate(new SecureRandom());

    assertTrue(
        code.matches("VIP-[" + CodePattern.ALPHABET + "]{4}-[" + CodePattern.ALPHABET + "]{4}"),
        code);
  }

  @Test
  void theAlphabetHasNoLookAlikes() {
    for (char c : "01OIL".toCharArray()) {
      assertEquals(-1, CodePattern.ALPHABET.indexOf(c), "no " + c);
    }
  }

  @Test
  void twentyThousandDefaultCodesAreAllDifferent() {
    SecureRandom random = new SecureRandom();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      codes.add(CodePattern.DEFAULT.generate(random));
    }
    // 31^8 is about 8.5e14: a repeat among 2e4 codes has a chance of about 2e-7.
    assertEquals(20_000, codes.size());
  }

  @Test
  void patternsNeedEnoughRandomnessAndSafeCharacters() {
    assertEquals(List.of(), new CodePattern("######").problems("codePattern"));
    assertEquals(
        List.of("codePattern needs at least 6 '#' (random characters) for codes"),
        new CodePattern("SALE-#####").problems("codePattern"));
    assertEquals(
        List.of("codePattern may hold only A-Z, 0-9, '-', '_' and '#' (a random character)"),
        new CodePattern("SALE/######").problems("codePattern"));
    assertEquals(
        List.of("codePattern must not be empty"), new CodePattern("").problems("codePattern"));
  }
}
