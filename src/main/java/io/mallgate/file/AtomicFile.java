package io.mallgate.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file durably and atomically — the embedded token store, the webhook log's compaction, the fan-out
 * cursors and dead letters all write this way: a temporary file beside it ({@code <name>.<random>.tmp}, mode 0600
 * where the file system is POSIX), forced to the device, renamed over the file, then the directory forced so that
 * the rename survives a power cut. A reader sees the old content or the new one, never a mix. A crash before the
 * rename leaves the old file whole and a temporary one behind, which {@link #removeLeftovers} clears. Blocking: call
 * it on a worker thread.
 */
public final class AtomicFile {

  /** How a temporary file's name ends; one a crash left behind starts with the file's name and a dot. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFile() {
  }

  /** What a replacement holds, written in order to a stream the caller must not close. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Replaces {@code file} with {@code bytes}, creating its directory (mode 0700) when missing. */
  public static void write(Path file, byte[] bytes) throws IOException {
    try (Replacement replacement = begin(file)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        replacement.channel().write(buffer);
      }
      replacement.commit();
    }
  }

  /** Replaces {@code file} with what {@code content} writes, streamed (it need not fit in memory). */
  public static void write(Path file, Content content) throws IOException {
    try (Replacement replacement = begin(file)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(replacement.channel()), 1 << 16);
      content.writeTo(out);
      out.flush(); // not closed: that would close the channel before the commit forces it
      replacement.commit();
    }
  }

  /**
   * Starts a replacement of {@code file} whose content the caller writes through {@link Replacement#channel()}, in
   * as many steps (and threads, one at a time) as it likes, before {@link Replacement#commit()}. Closing it without
   * a commit deletes the temporary file and leaves {@code file} as it was. Creates the directory (mode 0700).
   */
  public static Replacement begin(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createPrivateDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName() + ".", TEMP_SUFFIX, ownerOnly(dir, "rw-------"));
    try {
      return new Replacement(file.toAbsolutePath(), temp, FileChannel.open(temp, StandardOpenOption.WRITE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Deletes the temporary files a crash left behind beside {@code file} (they may hold secrets, or half a log). */
  public static void removeLeftovers(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      return;
    }
    String prefix = file.getFileName() + ".";
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  /** A replacement being written: a temporary file beside the target. Not thread-safe: one step at a time. */
  public static final class Replacement implements AutoCloseable {

    private final Path file;
    private final Path temp;
    private final FileChannel channel;
    private boolean renamed;

    private Replacement(Path file, Path temp, FileChannel channel) {
      this.file = file;
      this.temp = temp;
      this.channel = channel;
    }

    /** Where the content goes (positioned at its end after sequential writes). */
    public FileChannel channel() {
      return channel;
    }

    /** The temporary file: open it to keep a handle on the content that survives the rename. */
    public Path temp() {
      return temp;
    }

    /**
     * Forces the content, renames it over the file, forces the directory. When the rename fails the file is as it
     * was; when only the directory's force fails, {@link #renamed()} tells the new content is in place (though a power
     * cut could still undo the rename).
     */
    public void commit() throws IOException {
      channel.force(true);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      renamed = true;
      syncDirectory(file.getParent());
    }

    /** Whether {@link #commit()} renamed the content over the file. */
    public boolean renamed() {
      return renamed;
    }

    /** Closes the channel; without a rename, deletes the temporary file. */
    @Override
    public void close() throws IOException {
      try {
        channel.close();
      } finally {
        if (!renamed) {
          Files.deleteIfExists(temp);
        }
      }
    }
  }

  /** Creates {@code dir} and its missing parents, each readable by the owner only (0700 where POSIX applies). */
  public static void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir, ownerOnly(dir, "rwx------"));
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
