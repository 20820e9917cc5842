package io.pulse.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The migration files of a database kind as the build put them on the test classpath. */
final class MigrationFiles {

  /** {@code V<version>__<description>.sql}, the one form the convention allows. */
  static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9]+(?:_[a-z0-9]+)*)\\.sql");

  private MigrationFiles() {}

  /** Every file name in the kind's migration folder, sorted. */
  static List<String> names(DatabaseKind kind) {
    URL folder = MigrationFiles.class.getClassLoader().getResource(kind.migrationFolder());
    if (folder == null) {
      throw new IllegalStateException(kind.migrationFolder() + " is not on the classpath");
    }
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The versions of the kind's migrations, in order. */
  static List<Integer> versions(DatabaseKind kind) {
    return names(kind).stream().map(MigrationFiles::version).sorted().toList();
  }

  static int version(String name) {
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(name + " is not V<n>__<description>.sql");
    }
    return Integer.parseInt(matcher.group(1));
  }

  /** The newest version, the one this release needs. */
  static String releaseVersion(DatabaseKind kind) {
    List<Integer> versions = versions(kind);
    return Integer.toString(versions.get(versions.size() - 1));
  }

  static String read(String resource) {
    try (InputStream in = MigrationFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema.sql that releases before migrations applied, kept for tests. */
  static String beforeMigrationsSchema(DatabaseKind kind) {
    return read("db/before-migrations/" + folderName(kind) + "-schema.sql");
  }

  static String folderName(DatabaseKind kind) {
    String folder = kind.migrationFolder();
    return folder.substring(folder.lastIndexOf('/') + 1);
  }
}
