package io.pulse.loadtest.cli;

import io.pulse.loadtest.ceiling.CeilingBenchmark;
import io.pulse.loadtest.ceiling.CeilingResult;
import io.pulse.loadtest.ceiling.CeilingSettings;
import io.pulse.loadtest.ceiling.Jdbc;
import io.pulse.loadtest.gen.EventMix;
import io.pulse.loadtest.gen.UserSampler.Skew;
import io.pulse.loadtest.http.ApiKeys;
import io.pulse.loadtest.report.LoadReport;
import io.pulse.loadtest.report.ReportPrinter;
import io.pulse.loadtest.report.Reports;
import io.pulse.loadtest.run.LoadRunner;
import io.pulse.loadtest.run.LoadSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The load run itself; database and reporting tools are subcommands. */
@Command(
    name = "pulse-loadtest",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    showDefaultValues = true,
    description = {
      "Drives POST /v1/events of a Pulse server over HTTP/1.1 and reports throughput and"
          + " acknowledgement latency.",
      "Open model with --rate (requests started by the clock, latency from the intended start);"
          + " closed model otherwise (--connections requests outstanding).",
      "Every request carries an API key (--key, PULSE_KEY, --keys or --key-file); with several"
          + " keys, requests take them in turn."
    },
    subcommands = {
      CeilingCommand.class,
      CountJournalCommand.class,
      GeneratorBenchCommand.class,
      SummarizeCommand.class
    })
public final class LoadCommand implements Callable<Integer> {
  /** Exit status when the run finished but not one request was acknowledged. */
  public static final int NOTHING_ACKNOWLEDGED = 3;

  /** Exit status when the server refused a key (401 or 403) and the run stopped early. */
  public static final int KEY_REFUSED = 4;

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "Pulse base URL")
  String url;

  // The default comes from the environment and is a secret: never shown in the help.
  @Option(
      names = "--key",
      paramLabel = "KEY",
      defaultValue = "${env:PULSE_KEY}",
      showDefaultValue = Visibility.NEVER,
      description =
          "API key sent as 'Authorization: Bearer KEY' (default: the PULSE_KEY environment"
              + " variable, which unlike an argument other users cannot see in the process list)")
  String key;

  @Option(
      names = "--keys",
      paramLabel = "KEY[,KEY...]",
      description = "several API keys (one per tenant, say); requests take them in turn")
  String keyList;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "API keys, one per line (# starts a comment); requests take them in turn")
  Path keyFile;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "100000",
      description = "distinct users")
  long users;

  @Option(
      names = "--skew",
      paramLabel = "SKEW",
      defaultValue = "uniform",
      description = "how events spread over users: ${COMPLETION-CANDIDATES}")
  Skew skew;

  @Option(
      names = "--zipf-exponent",
      paramLabel = "S",
      defaultValue = "1.0",
      description = "Zipf exponent s, P(rank k) ~ 1/k^s")
  double zipfExponent;

  @Option(
      names = "--user-prefix",
      paramLabel = "PREFIX",
      defaultValue = "u-",
      description = "user ids are PREFIX<n>")
  String userPrefix;

  @Option(
      names = "--events-per-request",
      paramLabel = "N",
      defaultValue = "50",
      description = "events per POST, 1..1000")
  int eventsPerRequest;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_S",
      defaultValue = "0",
      description = "open model: target events/s (0: closed model)")
  double rate;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "64",
      description = "open model: most requests outstanding at once (one connection each)")
  int maxInFlight;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "32",
      description = "closed model: connections, each sending its next request on each answer")
  int connections;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "measured seconds")
  double duration;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "seconds of load before measuring, excluded from the measured figures")
  double warmup;

  @Option(
      names = "--mix",
      paramLabel = "SPEC",
      defaultValue = EventMix.DEFAULT_SPEC,
      converter = EventMixConverter.class,
      description = "event type weights")
  EventMix mix;

  @Option(
      names = "--duplicate-ratio",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "fraction of events re-sending an earlier event (same eventId)")
  double duplicateRatio;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "I/O threads; one drives 50,000+ events/s, raise only for tiny batches")
  int threads;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "request timeout, seconds")
  double timeout;

  @Option(
      names = "--retry-after-cap",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description =
          "closed model: longest pause, seconds, that a 429/503 Retry-After is honoured for")
  double retryAfterCap;

  @Option(
      names = "--progress",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "seconds between progress lines (0: none)")
  double progress;

  @Option(names = "--seed", paramLabel = "N", description = "random seed (default: from the clock)")
  Long seed;

  @Option(
      names = "--label",
      paramLabel = "TEXT",
      defaultValue = "",
      description = "name of this run in the report")
  String label;

  @Option(names = "--report", paramLabel = "FILE", description = "write the JSON report here")
  Path report;

  @Option(
      names = "--ceiling-jdbc-url",
      paramLabel = "URL",
      description = "measure the PostgreSQL ceiling on this database first, and report ratios")
  String ceilingJdbcUrl;

  @Option(
      names = "--ceiling-jdbc-user",
      paramLabel = "USER",
      defaultValue = "${env:PGUSER:-postgres}",
      description = "user for --ceiling-jdbc-url")
  String ceilingJdbcUser;

  @Option(
      names = "--ceiling-jdbc-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:PGPASSWORD:-}",
      description = "password for --ceiling-jdbc-url")
  String ceilingJdbcPassword;

  @Option(
      names = "--ceiling-rows",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "rows for the ceiling")
  long ceilingRows;

  @Option(
      names = "--ceiling-report",
      paramLabel = "FILE",
      description = "take the ceiling from an earlier `ceiling --report` instead of measuring")
  Path ceilingReport;

  /** The command line with the parsing conventions of this tool. */
  public static CommandLine commandLine() {
    return new CommandLine(new LoadCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    ApiKeys keys = keys();
    LoadSettings.Builder builder =
        LoadSettings.builder()
            .url(url)
            .keys(keys)
            .users(users)
            .skew(skew)
            .zipfExponent(zipfExponent)
            .userPrefix(userPrefix)
            .eventsPerRequest(eventsPerRequest)
            .rate(rate)
            .maxInFlight(maxInFlight)
            .connections(connections)
            .durationSeconds(duration)
            .warmupSeconds(warmup)
            .mix(mix)
            .duplicateRatio(duplicateRatio)
            .threads(threads)
            .timeoutSeconds(timeout)
            .retryAfterCapSeconds(retryAfterCap)
            .progressSeconds(progress)
            .label(label);
    if (seed != null) {
      builder.seed(seed);
    }
    LoadSettings settings;
    try {
      settings = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine(), e.getMessage());
    }

    CeilingResult ceiling = null;
    if (ceilingReport != null) {
      ceiling = Reports.readCeiling(ceilingReport);
    } else if (ceilingJdbcUrl != null) {
      // The ceiling goes first so that the two measurements never compete for the database.
      CeilingSettings ceilingSettings =
          CeilingSettings.defaults(new Jdbc(ceilingJdbcUrl, ceilingJdbcUser, ceilingJdbcPassword))
              .withRows(ceilingRows);
      ceiling = new CeilingBenchmark(ceilingSettings, out).measure();
    }

    out.printf(
        "pulse-loadtest: %s model against %s with %s, %s s warm-up + %s s measured%n",
        settings.modelName(), url, keys.isEmpty() ? "no API key" : keys, warmup, duration);
    LoadReport result = new LoadRunner(settings, out).run();
    if (ceiling != null) {
      result = result.withCeiling(ceiling);
    }
    ReportPrinter.print(result, out);
    if (report != null) {
      Reports.write(report, result);
      out.println("report written to " + report);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (result.keyRefusal() != null) {
      err.println("pulse-loadtest: stopped: " + ReportPrinter.keyRefusalText(result.keyRefusal()));
      err.flush();
      return KEY_REFUSED;
    }
    if (result.total().okRequests() == 0) {
      err.println("pulse-loadtest: no request was acknowledged; is Pulse running at " + url + "?");
      err.flush();
      return NOTHING_ACKNOWLEDGED;
    }
    return 0;
  }

  /** The keys of the one option given; PULSE_KEY only when none of them is. */
  private ApiKeys keys() {
    boolean keyGiven = spec.commandLine().getParseResult().hasMatchedOption("--key");
    List<String> given = new ArrayList<>();
    if (keyGiven) {
      given.add("--key");
    }
    if (keyList != null) {
      given.add("--keys");
    }
    if (keyFile != null) {
      given.add("--key-file");
    }
    if (given.size() > 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give one of --key, --keys and --key-file, not " + given);
    }
    String source = keyList != null ? "--keys: " : keyGiven ? "--key: " : "PULSE_KEY: ";
    try {
      if (keyList != null) {
        return ApiKeys.parseList(keyList);
      }
      if (keyFile != null) {
        return ApiKeys.readFile(keyFile);
      }
      if (key == null || !keyGiven && key.isBlank()) {
        // An empty PULSE_KEY is a variable left unset by a script, not a key.
        return ApiKeys.none();
      }
      return ApiKeys.of(List.of(key));
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read --key-file " + keyFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), (keyFile != null ? "" : source) + e.getMessage());
    }
  }
}
