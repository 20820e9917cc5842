package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules of docs/operations.md, "Schema migrations", that a build can check. */
class MigrationConventionTest {

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "CREATE TABLE IF NOT EXISTS (?:public\\.|PUBLIC\\.)?\"?([a-z_]+)\"?",
          Pattern.CASE_INSENSITIVE);

  @Test
  void everyVersionExistsForBothKindsWithTheSameNumberAndName() {
    List<String> h2 = MigrationFiles.names(DatabaseKind.H2);
    List<String> postgres = MigrationFiles.names(DatabaseKind.POSTGRES);

    assertFalse(h2.isEmpty(), "no migrations for H2");
    assertEquals(h2, postgres, "H2 and PostgreSQL migrations differ");
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void migrationsAreNamedVersionDescriptionAndNumberedWithoutGaps(DatabaseKind kind) {
    for (String name : MigrationFiles.names(kind)) {
      assertTrue(
          MigrationFiles.NAME.matcher(name).matches(),
          kind + ": " + name + " is not V<n>__<lower_case_description>.sql");
    }
    List<Integer> versions = MigrationFiles.versions(kind);
    assertEquals(
        IntStream.rangeClosed(1, versions.size()).boxed().toList(),
        versions,
        kind + ": versions must run 1, 2, 3 ... without gaps or repeats");
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void versionOneCreatesTheTablesThatMarkADatabaseOfAnEarlierRelease(DatabaseKind kind) {
    Set<String> created = new HashSet<>();
    Matcher matcher = CREATE_TABLE.matcher(versionOne(kind));
    while (matcher.find()) {
      created.add(matcher.group(1));
    }

    assertEquals(Set.copyOf(ExistingSchema.VERSION_ONE_TABLES), created);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void versionOneIsTheSchemaThatReleasesBeforeMigrationsApplied(DatabaseKind kind) {
    assertEquals(
        withoutComments(MigrationFiles.beforeMigrationsSchema(kind)),
        withoutComments(versionOne(kind)));
  }

  private static String versionOne(DatabaseKind kind) {
    return MigrationFiles.read(kind.migrationFolder() + "/V1__pulse_schema.sql");
  }

  private static String withoutComments(String script) {
    return script
        .lines()
        .filter(line -> !line.strip().startsWith("--"))
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .reduce("", (text, line) -> text + line + "\n");
  }
}
