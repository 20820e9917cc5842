package io.pulse.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small HTTP client for tests: sends JSON text with an API key (the test nodes' admin key unless
 * told otherwise), returns status, content type, headers and body.
 */
public final class HttpJson {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** The admin key of the default tenant that every test node is started with. */
  public static final String ADMIN_KEY = "pulse_test-admin-key-0123456789abcdefghij";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final String key;

  public HttpJson(int port) {
    this(port, ADMIN_KEY);
  }

  private HttpJson(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  /** The same server, with another key; null sends none. */
  public HttpJson withKey(String otherKey) {
    return new HttpJson(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherKey);
  }

  /** The same server, without a key. */
  public HttpJson withoutKey() {
    return withKey(null);
  }

  /** An answer: status, content type, headers and body. */
  public record Answer(int status, String contentType, String body, HttpHeaders headers) {

    Answer(int status, String contentType, String body) {
      this(status, contentType, body, HttpHeaders.of(java.util.Map.of(), (name, value) -> true));
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public boolean isProblem() {
      return contentType.startsWith("application/problem+json");
    }
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Answer post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Answer put(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Answer delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  /** Sends any method with an optional JSON body. */
  public Answer send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return send(request);
  }

  /**
   * GETs a stream that does not end (server-sent events): the status, headers and whatever body
   * arrives within {@code window}, after which the connection is closed.
   */
  public Answer openStream(String path, Duration window) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<java.io.InputStream> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
      java.io.InputStream body = response.body();
      Thread reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[4096];
                try {
                  for (int read; (read = body.read(buffer)) >= 0; ) {
                    synchronized (received) {
                      received.write(buffer, 0, read);
                    }
                  }
                } catch (IOException closed) {
                  // closed below, once the window has passed
                }
              },
              "stream-reader");
      reader.setDaemon(true);
      reader.start();
      reader.join(window.toMillis());
      body.close();
      String text;
      synchronized (received) {
        text = received.toString(java.nio.charset.StandardCharsets.UTF_8);
      }
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          text,
          response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Answer send(HttpRequest.Builder request) {
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
