package io.pulse.loadtest.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pulse.loadtest.ceiling.CeilingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes reports as indented JSON. */
public final class Reports {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Reports() {}

  public static void write(Path file, Object report) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // Write then rename, so a reader (or a crash) never sees half a report.
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(temporary.toFile(), report);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static String toJson(Object report) throws IOException {
    return JSON.writeValueAsString(report);
  }

  public static LoadReport readLoadReport(Path file) throws IOException {
    return JSON.readValue(file.toFile(), LoadReport.class);
  }

  public static CeilingResult readCeiling(Path file) throws IOException {
    return JSON.readValue(file.toFile(), CeilingResult.class);
  }
}
