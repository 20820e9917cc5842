package io.pulse.loadtest.http;

/** The server's bytes are not an HTTP/1.x response this client can read. */
public final class HttpProtocolException extends Exception {
  public HttpProtocolException(String message) {
    super(message);
  }
}
