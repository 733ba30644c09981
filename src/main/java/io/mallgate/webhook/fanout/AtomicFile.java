package io.mallgate.webhook.fanout;

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
 * Replaces a small file durably and atomically, the way the embedded token store does: a temporary file beside it
 * (mode 0600 where the file system is POSIX), forced to the device, renamed over the file, then the directory forced
 * so that the rename survives a power cut. A reader sees the old content or the new one, never a mix. Blocking:
 * call it on a worker thread.
 */
final class AtomicFile {

  private AtomicFile() {
  }

  static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir, ownerOnly(dir, "rwx------"));
    Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp", ownerOnly(dir, "rw-------"));
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

  // Some systems (Windows) cannot open a directory: there the rename is as durable as the OS makes it.
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
