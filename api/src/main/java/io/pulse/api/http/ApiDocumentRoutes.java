package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The API's own description: the OpenAPI document at {@code /v1/openapi.json} and Swagger UI at
 * {@code /docs}, with the UI's files from the Swagger UI WebJar on the classpath. All three are
 * open: they describe the API and hold no tenant's data, and a client needs the description before
 * it has a key.
 *
 * <p>{@code /docs/{asset}} serves a fixed list of names, so that nothing but the files the page
 * loads can be read through it: no other file of the classpath, whatever the path says.
 */
public final class ApiDocumentRoutes {

  /** The OpenAPI document, a resource of this module written by hand and checked by tests. */
  public static final String DOCUMENT = "io/pulse/api/http/openapi.json";

  private static final String OWN_FILES = "io/pulse/api/http/docs/";
  private static final String WEBJAR_PROPERTIES =
      "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  /**
   * The page's own initializer takes the place of the WebJar's, which points at a demo API on
   * another host.
   */
  private static final String INITIALIZER = "swagger-initializer.js";

  private static final ContentType JAVASCRIPT =
      MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);

  /** The files of the WebJar the page uses, and how each is served. */
  private static final Map<String, ContentType> WEBJAR_ASSETS =
      Map.of(
          "swagger-ui.css", MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8),
          "index.css", MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8),
          "swagger-ui-bundle.js", JAVASCRIPT,
          "favicon-16x16.png", MediaTypes.IMAGE_PNG.toContentType(),
          "favicon-32x32.png", MediaTypes.IMAGE_PNG.toContentType());

  /**
   * What the page may load: its scripts and styles from here (Swagger UI sets inline styles), its
   * images from here or inline, and requests (the document, "Try it out") to this origin only.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; font-src 'self' data:; connect-src 'self';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final HttpHeader NO_SNIFF = RawHeader.create("X-Content-Type-Options", "nosniff");

  private final JsonResponses responses;
  private final ClassLoader classLoader;
  private final String webjarRoot;
  private final byte[] document;
  private final byte[] page;
  private final byte[] initializer;
  private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

  public ApiDocumentRoutes(JsonResponses responses) {
    this.responses = responses;
    this.classLoader = ApiDocumentRoutes.class.getClassLoader();
    this.webjarRoot = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    this.document = read(DOCUMENT);
    this.page = read(OWN_FILES + "index.html");
    this.initializer = read(OWN_FILES + INITIALIZER);
    // Read when first asked for; here only found, so that a node without them does not start.
    for (String name : WEBJAR_ASSETS.keySet()) {
      if (classLoader.getResource(webjarRoot + name) == null) {
        throw new IllegalStateException("missing resource " + webjarRoot + name);
      }
    }
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.open(
            "GET",
            "/v1/openapi.json",
            call -> complete(file(ContentTypes.APPLICATION_JSON, document, "no-cache"))),
        Endpoint.open(
            "GET",
            "/docs",
            call ->
                complete(
                    file(MediaTypes.TEXT_HTML.toContentType(HttpCharsets.UTF_8), page, "no-cache")
                        .addHeader(
                            RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY)))),
        Endpoint.open("GET", "/docs/{asset}", call -> complete(asset(call.parameter(0)))));
  }

  private HttpResponse asset(String name) {
    if (name.equals(INITIALIZER)) {
      return file(JAVASCRIPT, initializer, "no-cache");
    }
    ContentType type = WEBJAR_ASSETS.get(name);
    if (type == null) {
      return responses.problem(
          Problem.of(404, "not-found", "Not found", "no file '" + name + "' in the API docs"));
    }
    byte[] bytes = loaded.computeIfAbsent(name, file -> read(webjarRoot + file));
    // The WebJar changes only with a new release of the node.
    return file(type, bytes, "public, max-age=3600");
  }

  private static HttpResponse file(ContentType type, byte[] bytes, String cacheControl) {
    return HttpResponse.create()
        .withStatus(200)
        .withEntity(type, bytes)
        .addHeader(NO_SNIFF)
        .addHeader(RawHeader.create("Cache-Control", cacheControl));
  }

  private String webjarVersion() {
    try (InputStream in = classLoader.getResourceAsStream(WEBJAR_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("the Swagger UI WebJar is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.ofNullable(properties.getProperty("version"))
          .orElseThrow(() -> new IllegalStateException(WEBJAR_PROPERTIES + " names no version"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] read(String resource) {
    try (InputStream in = classLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
