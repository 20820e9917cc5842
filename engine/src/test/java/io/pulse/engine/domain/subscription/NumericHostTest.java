package io.pulse.engine.domain.subscription;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts read as addresses the way the C library's resolver reads them. */
class NumericHostTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 7f000001",
    "0x7f000001, 7f000001",
    "0X7F000001, 7f000001",
    "2130706433, 7f000001",
    "017700000001, 7f000001",
    "127.1, 7f000001",
    "127.0.1, 7f000001",
    "0177.0.0.1, 7f000001",
    "0177.1, 7f000001",
    "127.000.000.001, 7f000001",
    "0x7f.0x0.0x0.0x1, 7f000001",
    "0x7f.1, 7f000001",
    "127.0.0.1., 7f000001",
    "169.254.43518, a9fea9fe",
    "0, 00000000",
    "255.255.255.255, ffffffff",
    "4294967295, ffffffff",
    "1.65536, 01010000"
  })
  void everyIpv4SpellingOfAResolverIsDecoded(String host, String hex) {
    assertArrayEquals(HexFormat.of().parseHex(hex), NumericHost.parse(host).orElseThrow(), host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orchestrator.example",
        "4294967296",
        "256.0.0.1",
        "1.2.3.4.5",
        "08.0.0.1",
        "0x1g",
        "1..2",
        ".1.2.3",
        "127.0.0.1.nip.io",
        "1.2.3.256",
        "1.16777216"
      })
  void namesAndImpossibleNumbersAreNotAddresses(String host) {
    assertEquals(Optional.empty(), NumericHost.parse(host).map(HexFormat.of()::formatHex), host);
  }

  @ParameterizedTest
  @CsvSource({
    "::1, 00000000000000000000000000000001",
    "[::1], 00000000000000000000000000000001",
    "0:0:0:0:0:0:0:1, 00000000000000000000000000000001",
    "::, 00000000000000000000000000000000",
    "::ffff:127.0.0.1, 00000000000000000000ffff7f000001",
    "::ffff:7f00:1, 00000000000000000000ffff7f000001",
    "[::ffff:169.254.169.254], 00000000000000000000ffffa9fea9fe",
    "fe80::1%eth0, fe800000000000000000000000000001",
    "2001:db8:85a3::8a2e:370:7334, 20010db885a3000000008a2e03707334",
    "64:ff9b::10.0.0.1, 0064ff9b00000000000000000a000001"
  })
  void ipv6TextIsDecodedToItsSixteenBytes(String host, String hex) {
    assertEquals(hex, HexFormat.of().formatHex(NumericHost.parse(host).orElseThrow()), host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::1",
        "::ffff:127.1",
        "::g",
        ":1::",
        "%eth0",
        "1:2:3:4:5:6:7"
      })
  void malformedIpv6IsNotAnAddress(String host) {
    assertEquals(Optional.empty(), NumericHost.parse(host).map(HexFormat.of()::formatHex), host);
  }
}
