package io.pulse.engine.domain.subscription;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where webhooks may go, whatever way an address is spelled. */
class WebhookTargetPolicyTest {

  private static final WebhookTargetPolicy POLICY = WebhookTargetPolicy.PUBLIC_ONLY;

  private static byte[] v4(int a, int b, int c, int d) {
    return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:5432/",
        "http://[::1]:6379/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://127.1/",
        "http://0177.0.0.1/",
        "http://127.000.000.001/",
        "http://0x7f.0.0.1/",
        "http://127.0.0.1./",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://0/",
        "http://[::]/",
        "http://[fe80::1%25eth0]/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
        "http://192.0.0.8/",
        "http://198.18.0.1/",
        "http://198.19.255.254/",
        "http://192.0.2.10/",
        "http://198.51.100.10/",
        "http://203.0.113.10/",
        "http://[2001:db8::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::10.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "https://[0:0:0:0:0:0:0:1]:8443/hook"
      })
  void everyForbiddenAddressIsRefusedWhateverItsSpelling(String url) {
    assertEquals(List.of(WebhookTargetPolicy.NOT_ALLOWED), POLICY.problemsOf(url), url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://orchestrator.example/hooks/pulse",
        "http://93.184.215.14/",
        "https://[2606:4700::1111]/",
        "http://[::ffff:93.184.215.14]/",
        "http://172.32.0.1/",
        "http://100.128.0.1/",
        "http://11.0.0.1:8080/x?y=1"
      })
  void publicTargetsPass(String url) {
    assertEquals(List.of(), POLICY.problemsOf(url), url);
  }

  @Test
  void onlyAbsoluteHttpAndHttpsUrlsWithAHostPass() {
    for (String url :
        List.of(
            "ftp://orchestrator.example/",
            "file:///etc/passwd",
            "gopher://orchestrator.example/",
            "orchestrator.example/hooks",
            "http:///path",
            "not a url",
            "http://host_name.example/")) {
      assertEquals(
          List.of("url must be an absolute http or https URL; got '" + url + "'"),
          POLICY.problemsOf(url),
          url);
    }
  }

  @Test
  void credentialsInTheUrlAreRefused() {
    for (String url :
        List.of(
            "https://user:pass@orchestrator.example/",
            "https://token@orchestrator.example/",
            "http://user:pass@127.0.0.1/")) {
      assertEquals(
          List.of("url must not contain user-info (credentials before '@')"),
          POLICY.problemsOf(url),
          url);
    }
  }

  @Test
  void theOperatorsNetworksAreLetThroughInEverySpelling() {
    WebhookTargetPolicy internal = WebhookTargetPolicy.allowing(" 127.0.0.0/8, 10.1.0.0/16 ,");

    assertEquals(List.of(), internal.problemsOf("http://127.0.0.1:9000/hook"));
    assertEquals(List.of(), internal.problemsOf("http://0x7f000001/"));
    assertEquals(List.of(), internal.problemsOf("http://[::ffff:127.0.0.1]/"));
    assertEquals(List.of(), internal.problemsOf("http://10.1.200.3/"));
    assertEquals(List.of(WebhookTargetPolicy.NOT_ALLOWED), internal.problemsOf("http://10.2.0.1/"));
    assertEquals(
        List.of(WebhookTargetPolicy.NOT_ALLOWED), internal.problemsOf("http://169.254.169.254/"));
    assertEquals(List.of(WebhookTargetPolicy.NOT_ALLOWED), internal.problemsOf("http://[::1]/"));
  }

  @Test
  void anIpv6NetworkCanBeAllowed() {
    WebhookTargetPolicy internal = WebhookTargetPolicy.allowing("fd00:1::/32");

    assertEquals(List.of(), internal.problemsOf("http://[fd00:1::5]/"));
    assertEquals(
        List.of(WebhookTargetPolicy.NOT_ALLOWED), internal.problemsOf("http://[fd00:2::5]/"));
  }

  @Test
  void aNetworkThatIsNotCidrIsRefusedWithItsText() {
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> WebhookTargetPolicy.allowing("10.0.0.0/33"));
    assertTrue(bad.getMessage().contains("10.0.0.0/33"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WebhookTargetPolicy.allowing("0x7f000001"));
    assertThrows(IllegalArgumentException.class, () -> WebhookTargetPolicy.allowing("localhost"));
    assertThrows(IllegalArgumentException.class, () -> WebhookTargetPolicy.allowing("10.0.0.0/x"));
  }

  @Test
  void aNameIsRefusedWhenAnyOfItsAddressesIsRefused() throws Exception {
    HostResolver dns =
        resolver(
            Map.of(
                "public.example", List.of(v4(93, 184, 215, 14)),
                "mixed.example", List.of(v4(93, 184, 215, 14), v4(10, 0, 0, 7)),
                "loopback.example", List.of(v4(127, 0, 0, 1))));

    assertEquals(
        Optional.of(List.of(InetAddress.getByAddress("public.example", v4(93, 184, 215, 14)))),
        POLICY.resolve("public.example", dns));
    assertFalse(POLICY.refusesAny("public.example", dns));
    assertTrue(POLICY.refusesAny("mixed.example", dns));
    assertTrue(POLICY.refusesAny("loopback.example", dns));
    assertThrows(UnknownHostException.class, () -> POLICY.refusesAny("nowhere.example", dns));
  }

  @Test
  void aNumericHostIsDecodedNotLookedUp() throws Exception {
    HostResolver noLookups =
        host -> {
          throw new AssertionError("looked up " + host);
        };

    assertTrue(POLICY.refusesAny("0x7f000001", noLookups));
    assertTrue(POLICY.refusesAny("[::ffff:a9fe:a9fe]", noLookups));
    List<InetAddress> addresses = POLICY.resolve("93.184.215.14", noLookups).orElseThrow();
    assertArrayEquals(v4(93, 184, 215, 14), addresses.get(0).getAddress());
  }

  static HostResolver resolver(Map<String, List<byte[]>> names) {
    return host -> {
      List<byte[]> found = names.get(host);
      if (found == null) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> addresses = new java.util.ArrayList<>();
      for (byte[] bytes : found) {
        addresses.add(InetAddress.getByAddress(host, bytes));
      }
      return addresses;
    };
  }
}
