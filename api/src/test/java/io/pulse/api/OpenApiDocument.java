package io.pulse.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.pulse.api.http.ApiDocumentRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI document as the node serves it, read for tests: its operations, its objects with
 * {@code $ref}s followed, and its JSON Schemas as a validator (JSON Schema 2020-12 with the OpenAPI
 * 3.1 vocabulary) applies them.
 */
final class OpenApiDocument {

  /** Where the validator files the document; {@code $ref}s inside it resolve against it. */
  private static final String BASE_URI = "https://pulse.invalid/openapi.json";

  static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

  private final String text;
  private final JsonNode root;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private OpenApiDocument(String text) {
    this.text = text;
    try {
      this.root = HttpJson.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document is not JSON", e);
    }
    this.registry =
        SchemaRegistry.withDefaultDialect(
            Dialects.getOpenApi31(),
            builder ->
                builder
                    .schemas(Map.of(BASE_URI, text))
                    .schemaRegistryConfig(
                        SchemaRegistryConfig.builder()
                            .formatAssertionsEnabled(true)
                            .locale(Locale.ENGLISH)
                            .build()));
  }

  /** The document the node serves, from the classpath. */
  static OpenApiDocument load() {
    try (InputStream in =
        OpenApiDocument.class.getClassLoader().getResourceAsStream(ApiDocumentRoutes.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException("no " + ApiDocumentRoutes.DOCUMENT + " on the classpath");
      }
      return new OpenApiDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String text() {
    return text;
  }

  JsonNode root() {
    return root;
  }

  /** One operation: {@code method} upper case, as the route table names it. */
  record Operation(String method, String template, String pointer, JsonNode node) {
    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").properties().iterator();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (String method : METHODS) {
        JsonNode node = path.getValue().get(method);
        if (node != null) {
          operations.add(
              new Operation(
                  method.toUpperCase(Locale.ROOT),
                  path.getKey(),
                  "/paths/" + escape(path.getKey()) + "/" + method,
                  node));
        }
      }
    }
    return operations;
  }

  Optional<Operation> operation(String method, String template) {
    return operations().stream()
        .filter(op -> op.method().equals(method) && op.template().equals(template))
        .findFirst();
  }

  /** A node of the document and the JSON pointer it is at, once every {@code $ref} is followed. */
  record Located(String pointer, JsonNode node) {
    Located child(String name) {
      JsonNode child = node.get(name);
      return child == null ? null : new Located(pointer + "/" + escape(name), child);
    }
  }

  /** The node at {@code pointer}, following {@code $ref}s to where they lead. */
  Located resolve(String pointer) {
    return follow(new Located(pointer, at(pointer)));
  }

  /** {@code located}, or where its {@code $ref} (and theirs) lead. */
  Located follow(Located located) {
    Located current = located;
    for (int hops = 0; current.node() != null && current.node().has("$ref"); hops++) {
      if (hops > 10) {
        throw new IllegalStateException("a $ref loop at " + located.pointer());
      }
      String target = current.node().get("$ref").asText();
      if (!target.startsWith("#/")) {
        throw new IllegalStateException("only local $refs are expected: " + target);
      }
      String pointer = target.substring(1);
      current = new Located(pointer, at(pointer));
    }
    return current;
  }

  private JsonNode at(String pointer) {
    JsonNode node = root.at(pointer);
    return node.isMissingNode() ? null : node;
  }

  /**
   * What the schema at {@code pointer} finds wrong with {@code instance}: nothing when it is valid.
   * A schema that is a {@code $ref} is applied where it leads, so that messages name the component.
   */
  List<String> validate(String pointer, JsonNode instance) {
    JsonNode schema = at(pointer);
    if (schema == null) {
      throw new IllegalArgumentException("no schema at " + pointer);
    }
    String applied =
        schema.has("$ref") && schema.size() == 1
            ? schema.get("$ref").asText().substring(1)
            : pointer;
    Schema compiled =
        schemas.computeIfAbsent(
            applied, at -> registry.getSchema(SchemaLocation.of(BASE_URI + "#" + encode(at))));
    return compiled.validate(instance).stream().map(Error::toString).toList();
  }

  /** A JSON pointer token (RFC 6901). */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** A JSON pointer as a URI fragment (RFC 6901, section 6). */
  private static String encode(String pointer) {
    return pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
  }
}
