package io.pulse.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The node's data directory and what is in it (the embedded database, the secret key) are for the
 * server's own user alone: the directory is {@code rwx------} and its files {@code rw-------},
 * whatever the process umask says. A directory or file left more open by an earlier version is
 * closed at start. On a file system without POSIX permissions this does nothing.
 */
public final class PrivateFiles {

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Makes the embedded database's directory owner-only, as {@link #directory} does; no-op else. */
  public static void protectDatabase(DatabaseSettings database) {
    database.localDirectory().ifPresent(PrivateFiles::directory);
  }

  /**
   * Creates {@code directory} (and any missing parents) owner-only, or makes an existing one
   * owner-only; the files directly in it lose every permission of group and others.
   */
  public static Path directory(Path directory) {
    try {
      if (!Files.isDirectory(directory)) {
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createDirectory(directory, attribute(directory.getFileSystem(), DIRECTORY));
        } catch (FileAlreadyExistsException raced) {
          // another node process on the same directory created it first
        }
      }
      restrict(directory, DIRECTORY);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
        for (Path entry : entries) {
          if (Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            restrict(entry, FILE);
          }
        }
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the data directory "
              + directory
              + " (pulse.data-dir, PULSE_DATA_DIR) for this user alone: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Writes {@code content} to {@code file}, a new file that is owner-only from the moment it exists
   * (it is created with those permissions, not changed to them afterwards).
   *
   * @throws FileAlreadyExistsException when {@code file} exists: an existing file is never replaced
   */
  public static void writeNew(Path file, byte[] content) throws IOException {
    Files.createFile(file, attribute(file.getFileSystem(), FILE));
    restrict(file, FILE);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(content));
      channel.force(true);
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> most) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(
            path, PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> current = view.readAttributes().permissions();
    Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
    kept.addAll(current);
    kept.retainAll(most);
    if (!kept.equals(current)) {
      view.setPermissions(kept);
    }
  }

  private static FileAttribute<?>[] attribute(
      java.nio.file.FileSystem fileSystem, Set<PosixFilePermission> permissions) {
    return fileSystem.supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }
}
