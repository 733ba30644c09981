package io.mallgate.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a small file durably and atomically — the embedded token store, the fan-out cursors and dead letters all
 * write this way: a temporary file beside it ({@code <name>.<random>.tmp}, mode 0600 where the file system is POSIX),
 * forced to the device, renamed over the file, then the directory forced so that the rename survives a power cut. A
 * reader sees the old content or the new one, never a mix. Blocking: call it on a worker thread.
 */
public final class AtomicFile {

  /** How a temporary file's name ends; one a crash left behind starts with the file's name and a dot. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFile() {
  }

  /** Replaces {@code file} with {@code bytes}, creating its directory (mode 0700) when missing. */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir, ownerOnly(dir, "rwx------"));
    Path temp = Files.createTempFile(dir, file.getFileName() + ".", TEMP_SUFFIX, ownerOnly(dir, "rw-------"));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir, String permissions) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
  }

  // Forcing the directory makes the rename itself durable. Some systems (Windows) cannot open a directory: there the
  // rename is as durable as the OS makes it. A failing force, though, is a failed write.
  private static void syncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException notAllowed) {
      return;
    }
    try (channel) {
      channel.force(true);
    }
  }
}
