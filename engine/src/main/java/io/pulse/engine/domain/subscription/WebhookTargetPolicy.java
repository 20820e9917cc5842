package io.pulse.engine.domain.subscription;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go: public addresses over {@code http} or {@code https}, plus the networks the
 * operator allows ({@code pulse.webhooks.allowed-networks}). Without it a subscriber could make the
 * server send signed requests to the cloud metadata service, the database, or any other service
 * that trusts the server's network position, and read the answers' status off the dead letters.
 *
 * <p>A URL is checked when the subscription is created, and the addresses its host stands for are
 * checked again at every connection, after the name is resolved, so a name that changes its answer
 * later (DNS rebinding) is refused then. A name is refused when any of its addresses is refused: a
 * name that stands for a public and a private address at once is not a receiver anyone needs, and
 * connecting only to its public address would still let its owner choose, answer by answer, which
 * one the server uses.
 */
public final class WebhookTargetPolicy {

  /** The problem a refused target is reported with; it names no address, port or reason. */
  public static final String NOT_ALLOWED = "url targets an address that webhooks may not reach";

  /** Every target over http(s) that is not refused below, and nothing more. */
  public static final WebhookTargetPolicy PUBLIC_ONLY = new WebhookTargetPolicy(List.of());

  /**
   * IPv4 blocks that no webhook may reach unless the operator allows them. Besides loopback, the
   * private ranges, link-local (the metadata service at 169.254.169.254), shared address space
   * (CGNAT), "this network", multicast and the reserved 240/4 (which holds the broadcast address),
   * these are refused because none of them is a public receiver while each may reach something
   * private: 192.0.0.0/24 holds protocol assignments that stay inside one network; 198.18.0.0/15 is
   * for benchmarking and is where fake-IP DNS proxies put the names they intercept; the three
   * documentation blocks are never routed on the Internet, so inside a network they reach only
   * whatever someone put there.
   */
  static final List<IpNetwork> REFUSED_IPV4 =
      networks(
          "0.0.0.0/8",
          "10.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.0.0.0/24",
          "192.0.2.0/24",
          "192.168.0.0/16",
          "198.18.0.0/15",
          "198.51.100.0/24",
          "203.0.113.0/24",
          "224.0.0.0/4",
          "240.0.0.0/4");

  /**
   * IPv6 blocks refused outright: unspecified, loopback, discard-only, link-local, the deprecated
   * site-local, unique-local, multicast, documentation, local-use NAT64 (which translates to
   * whatever the local network chose), and Teredo (whose IPv4 end is hidden).
   */
  static final List<IpNetwork> REFUSED_IPV6 =
      networks(
          "::/128",
          "::1/128",
          "100::/64",
          "fe80::/10",
          "fec0::/10",
          "fc00::/7",
          "ff00::/8",
          "2001:db8::/32",
          "3fff::/20",
          "64:ff9b:1::/48",
          "2001::/32");

  /**
   * IPv6 blocks whose addresses carry an IPv4 address that a stack or a gateway will reach: IPv4-
   * mapped ({@code ::ffff:127.0.0.1}), IPv4-compatible ({@code ::127.0.0.1}), SIIT-translated and
   * the NAT64 well-known prefix, all in the last 32 bits. (6to4 is handled on its own: its IPv4
   * address is in bits 16 to 48.)
   */
  private static final List<IpNetwork> IPV4_IN_LAST_32_BITS =
      networks("::ffff:0:0/96", "::/96", "::ffff:0:0:0/96", "64:ff9b::/96");

  private static final IpNetwork SIX_TO_FOUR = IpNetwork.parse("2002::/16");

  private final List<IpNetwork> allowed;

  public WebhookTargetPolicy(List<IpNetwork> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /**
   * The policy with the operator's comma-separated CIDR blocks allowed; blank allows nothing more.
   *
   * @throws IllegalArgumentException naming a block that is not valid CIDR
   */
  public static WebhookTargetPolicy allowing(String commaSeparatedNetworks) {
    List<IpNetwork> networks = new ArrayList<>();
    for (String network : commaSeparatedNetworks.split(",")) {
      if (!network.isBlank()) {
        networks.add(IpNetwork.parse(network));
      }
    }
    return new WebhookTargetPolicy(networks);
  }

  public List<IpNetwork> allowed() {
    return allowed;
  }

  /**
   * What is wrong with {@code url} as written: not absolute http(s), no host, user-info, or a host
   * that spells a refused address in any of its numeric forms. Empty when it may be used; its host
   * name, if any, is still to be resolved and checked with {@link #refusesAny}.
   */
  public List<String> problemsOf(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return List.of(notHttp(url));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null) {
      return List.of(notHttp(url));
    }
    if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
      // Credentials in a URL end up in logs and answers; a receiver authenticates the request by
      // its signature instead.
      return List.of("url must not contain user-info (credentials before '@')");
    }
    // java.net.URI knows dotted decimal only: it reads 127.1 as no host at all, while a resolver
    // reads it as loopback. Such a host is judged by what it spells.
    String host = uri.getHost() != null ? uri.getHost() : withoutPort(uri.getRawAuthority());
    Optional<byte[]> literal = NumericHost.parse(host);
    if (literal.isPresent() && !permits(literal.get())) {
      return List.of(NOT_ALLOWED);
    }
    if (uri.getHost() == null) {
      return List.of(notHttp(url));
    }
    return List.of();
  }

  private static String withoutPort(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
  }

  /** The host of a URL that {@link #problemsOf} found no fault with. */
  public static String hostOf(String url) {
    try {
      return new URI(url).getHost();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL", e);
    }
  }

  /**
   * Resolves {@code host} (a numeric spelling is decoded, not looked up) and tells whether any of
   * its addresses is refused.
   *
   * @throws UnknownHostException when the name has no address
   */
  public boolean refusesAny(String host, HostResolver resolver) throws UnknownHostException {
    return resolve(host, resolver).isEmpty();
  }

  /**
   * Every address of {@code host} if all of them may be reached, else empty. A numeric spelling is
   * decoded here rather than handed to the resolver, so its meaning does not depend on the
   * platform.
   *
   * @throws UnknownHostException when the name has no address
   */
  public Optional<List<InetAddress>> resolve(String host, HostResolver resolver)
      throws UnknownHostException {
    Optional<byte[]> literal = NumericHost.parse(host);
    List<InetAddress> addresses =
        literal.isPresent()
            ? List.of(InetAddress.getByAddress(host, literal.get()))
            : resolver.resolve(host);
    if (addresses.isEmpty()) {
      throw new UnknownHostException(host);
    }
    for (InetAddress address : addresses) {
      if (!permits(address.getAddress())) {
        return Optional.empty();
      }
    }
    return Optional.of(addresses);
  }

  public boolean permits(InetAddress address) {
    return permits(address.getAddress());
  }

  /** Whether an address (4 or 16 bytes) may be reached. */
  public boolean permits(byte[] address) {
    if (isAllowed(address)) {
      return true;
    }
    if (address.length == 4) {
      return REFUSED_IPV4.stream().noneMatch(network -> network.contains(address));
    }
    if (REFUSED_IPV6.stream().anyMatch(network -> network.contains(address))) {
      return false;
    }
    Optional<byte[]> embedded = embeddedIpv4(address);
    return embedded.isEmpty() || permits(embedded.get());
  }

  private boolean isAllowed(byte[] address) {
    if (allowed.stream().anyMatch(network -> network.contains(address))) {
      return true;
    }
    Optional<byte[]> embedded = address.length == 16 ? embeddedIpv4(address) : Optional.empty();
    return embedded.isPresent()
        && allowed.stream().anyMatch(network -> network.contains(embedded.get()));
  }

  private static Optional<byte[]> embeddedIpv4(byte[] address) {
    if (IPV4_IN_LAST_32_BITS.stream().anyMatch(network -> network.contains(address))) {
      return Optional.of(Arrays.copyOfRange(address, 12, 16));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return Optional.of(Arrays.copyOfRange(address, 2, 6));
    }
    return Optional.empty();
  }

  private static String notHttp(String url) {
    return "url must be an absolute http or https URL; got '" + url + "'";
  }

  private static List<IpNetwork> networks(String... cidrs) {
    return Arrays.stream(cidrs).map(IpNetwork::parse).toList();
  }
}
