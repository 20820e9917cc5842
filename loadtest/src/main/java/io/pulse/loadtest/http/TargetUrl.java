package io.pulse.loadtest.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Where Pulse listens: an {@code http://host:port[/base]} URL, resolved once. */
public record TargetUrl(String host, int port, String basePath) {

  public static TargetUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      // The client speaks HTTP/1.1 over plain sockets; TLS would cost more than it measures.
      throw new IllegalArgumentException("only http:// URLs are supported, got " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("URL has no host: " + url);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new TargetUrl(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), path);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /**
   * The request line and the fixed headers of a JSON POST to {@code path}, each ending in CRLF:
   * {@link RequestHeads} adds the key and the length.
   */
  public String postHeadUpToHeaders(String path) {
    String hostHeader = host.contains(":") ? "[" + host + "]" : host;
    return "POST "
        + basePath
        + path
        + " HTTP/1.1\r\n"
        + "Host: "
        + hostHeader
        + ":"
        + port
        + "\r\n"
        + "User-Agent: pulse-loadtest\r\n"
        + "Accept: application/json\r\n"
        + "Content-Type: application/json\r\n";
  }

  @Override
  public String toString() {
    return "http://" + host + ":" + port + basePath;
  }
}
