package io.pulse.loadtest.run;

import io.pulse.loadtest.gen.EventMix;
import io.pulse.loadtest.gen.UserSampler.Skew;
import io.pulse.loadtest.http.ApiKeys;
import io.pulse.loadtest.http.TargetUrl;

/**
 * Everything one load run needs. {@code rate > 0} selects the open model (requests started by the
 * clock); otherwise the closed model keeps {@code connections} requests outstanding. Requests take
 * the {@code keys} in turn.
 */
public record LoadSettings(
    String url,
    ApiKeys keys,
    long users,
    Skew skew,
    double zipfExponent,
    String userPrefix,
    int eventsPerRequest,
    double rate,
    int maxInFlight,
    int connections,
    double durationSeconds,
    double warmupSeconds,
    EventMix mix,
    double duplicateRatio,
    int threads,
    double timeoutSeconds,
    double retryAfterCapSeconds,
    double progressSeconds,
    String label,
    long seed) {

  public static final int MAX_EVENTS_PER_REQUEST = 1000;

  public LoadSettings {
    TargetUrl.parse(url);
    require(users >= 1, "users must be at least 1");
    require(zipfExponent > 0, "zipf exponent must be positive");
    require(
        eventsPerRequest >= 1 && eventsPerRequest <= MAX_EVENTS_PER_REQUEST,
        "events per request must be 1.." + MAX_EVENTS_PER_REQUEST);
    require(rate >= 0 && Double.isFinite(rate), "rate must be a non-negative number");
    require(threads >= 1, "threads must be at least 1");
    require(maxInFlight >= threads, "max in-flight must be at least the number of threads");
    require(connections >= threads, "connections must be at least the number of threads");
    require(durationSeconds > 0, "duration must be positive");
    require(warmupSeconds >= 0, "warm-up must not be negative");
    require(duplicateRatio >= 0 && duplicateRatio < 1, "duplicate ratio must be in [0, 1)");
    require(timeoutSeconds > 0, "timeout must be positive");
    require(retryAfterCapSeconds >= 0, "retry-after cap must not be negative");
    require(progressSeconds >= 0, "progress interval must not be negative");
    if (keys == null) {
      keys = ApiKeys.none();
    }
    if (userPrefix == null) {
      userPrefix = "u-";
    }
    if (mix == null) {
      mix = EventMix.defaults();
    }
  }

  public boolean openModel() {
    return rate > 0;
  }

  public String modelName() {
    return openModel() ? "open" : "closed";
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Defaults match the command line's. */
  public static final class Builder {
    private String url = "http://127.0.0.1:8080";
    private ApiKeys keys = ApiKeys.none();
    private long users = 100_000;
    private Skew skew = Skew.UNIFORM;
    private double zipfExponent = 1.0;
    private String userPrefix = "u-";
    private int eventsPerRequest = 50;
    private double rate;
    private int maxInFlight = 64;
    private int connections = 32;
    private double durationSeconds = 30;
    private double warmupSeconds = 5;
    private EventMix mix = EventMix.defaults();
    private double duplicateRatio;
    private int threads = 1;
    private double timeoutSeconds = 30;
    private double retryAfterCapSeconds = 30;
    private double progressSeconds = 5;
    private String label = "";
    private long seed = System.nanoTime();

    public Builder url(String value) {
      url = value;
      return this;
    }

    public Builder keys(ApiKeys value) {
      keys = value;
      return this;
    }

    public Builder users(long value) {
      users = value;
      return this;
    }

    public Builder skew(Skew value) {
      skew = value;
      return this;
    }

    public Builder zipfExponent(double value) {
      zipfExponent = value;
      return this;
    }

    public Builder userPrefix(String value) {
      userPrefix = value;
      return this;
    }

    public Builder eventsPerRequest(int value) {
      eventsPerRequest = value;
      return this;
    }

    public Builder rate(double value) {
      rate = value;
      return this;
    }

    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    public Builder connections(int value) {
      connections = value;
      return this;
    }

    public Builder durationSeconds(double value) {
      durationSeconds = value;
      return this;
    }

    public Builder warmupSeconds(double value) {
      warmupSeconds = value;
      return this;
    }

    public Builder mix(EventMix value) {
      mix = value;
      return this;
    }

    public Builder duplicateRatio(double value) {
      duplicateRatio = value;
      return this;
    }

    public Builder threads(int value) {
      threads = value;
      return this;
    }

    public Builder timeoutSeconds(double value) {
      timeoutSeconds = value;
      return this;
    }

    public Builder retryAfterCapSeconds(double value) {
      retryAfterCapSeconds = value;
      return this;
    }

    public Builder progressSeconds(double value) {
      progressSeconds = value;
      return this;
    }

    public Builder label(String value) {
      label = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public LoadSettings build() {
      return new LoadSettings(
          url,
          keys,
          users,
          skew,
          zipfExponent,
          userPrefix,
          eventsPerRequest,
          rate,
          maxInFlight,
          connections,
          durationSeconds,
          warmupSeconds,
          mix,
          duplicateRatio,
          threads,
          timeoutSeconds,
          retryAfterCapSeconds,
          progressSeconds,
          label,
          seed);
    }
  }
}
