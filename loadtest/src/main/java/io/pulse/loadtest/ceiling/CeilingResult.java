package io.pulse.loadtest.ceiling;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Measured write ceilings of a PostgreSQL server for journal-shaped rows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CeilingResult(
    String measuredAt,
    long rows,
    long persistenceIds,
    double payloadBytesAverage,
    MethodResult copy,
    MethodResult insert,
    String serverVersion,
    Map<String, String> serverSettings) {

  /**
   * One method's figures.
   *
   * @param systemLoadAverage the machine's one-minute load average just before the method ran,
   *     since other work on a shared machine changes the figures
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MethodResult(
      String method,
      long rows,
      double seconds,
      double rowsPerSecond,
      int connections,
      Integer batchSize,
      long verifiedRows,
      Double systemLoadAverage) {}
}
