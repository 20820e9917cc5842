package io.pulse.api.http;

import io.pulse.engine.domain.access.Scope;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * One route of the HTTP surface: its method, its path template ({@code /v1/users/{userId}}), who
 * may call it, and what answers it. Every route is an entry of the {@link RouteTable}, so that none
 * can escape authentication, the documentation or the tests that go through the table.
 */
public record Endpoint(
    String method,
    String template,
    Access access,
    Scope scope,
    Metering metering,
    Handler handler) {

  /** Who may call a route. */
  public enum Access {
    /** Anyone: the health probes and the API's own description. */
    OPEN,
    /** A key of any tenant with the scope; the route serves that tenant's data only. */
    TENANT,
    /**
     * A key of the operator's tenant ({@code default}) with the scope: tenants, every tenant's keys
     * and node metrics. To any other tenant such a route does not exist.
     */
    OPERATOR
  }

  /** What a route's rate limit counts. */
  public enum Metering {
    /** One request. */
    REQUESTS,
    /** One request, and the events it carries, which the route itself counts. */
    EVENTS
  }

  /** Answers a call that passed authentication, the scope check and the request limit. */
  @FunctionalInterface
  public interface Handler {
    Route handle(Call call);
  }

  /** A call of an endpoint: who makes it (null on an open route) and the path's parameters. */
  public record Call(Caller caller, List<String> parameters) {

    /** The {@code index}-th parameter of the template, decoded. */
    public String parameter(int index) {
      return parameters.get(index);
    }

    /** The caller's tenant. */
    public String tenant() {
      return caller.tenant();
    }
  }

  public Endpoint {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(metering, "metering");
    Objects.requireNonNull(handler, "handler");
    if (access != Access.OPEN) {
      Objects.requireNonNull(scope, "a route that needs a key names its scope");
    }
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a template starts with '/': " + template);
    }
  }

  /** A route of a tenant's data that needs {@code scope}. */
  public static Endpoint tenant(String method, String template, Scope scope, Handler handler) {
    return new Endpoint(method, template, Access.TENANT, scope, Metering.REQUESTS, handler);
  }

  /** A route of the operator that needs {@code scope}. */
  public static Endpoint operator(String method, String template, Scope scope, Handler handler) {
    return new Endpoint(method, template, Access.OPERATOR, scope, Metering.REQUESTS, handler);
  }

  /** A route anyone may call. */
  public static Endpoint open(String method, String template, Handler handler) {
    return new Endpoint(method, template, Access.OPEN, null, Metering.REQUESTS, handler);
  }

  /** This route, counting the events it ingests against the key's event limit too. */
  public Endpoint meteredByEvents() {
    return new Endpoint(method, template, access, scope, Metering.EVENTS, handler);
  }

  /** The template's segments: a literal, or {@code {name}} for a parameter. */
  public List<String> segments() {
    return Arrays.asList(template.substring(1).split("/", -1));
  }

  /** The template's parameter names, in order. */
  public List<String> parameterNames() {
    return segments().stream()
        .filter(Endpoint::isParameter)
        .map(segment -> segment.substring(1, segment.length() - 1))
        .toList();
  }

  static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  @Override
  public String toString() {
    return method + " " + template;
  }
}
