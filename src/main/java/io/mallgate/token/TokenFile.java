package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.file.AtomicFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's file, format 2:
 * {@code {"format":2,"malls":{"<mall>":{"v":3,"updated":"<ISO instant>","data":"<tokens in the codec's form>",
 * "reauth":{…},"refresh":{…}}}}}, {@code reauth} and {@code refresh} only when set (see {@link StoredForm}). Format 1
 * held Cafe24's JSON object under {@code tokens}; such a file is still read, and rewritten in format 2 at once so
 * that its tokens are sealed on disk from then on. Every method here does blocking file I/O: call it from a worker
 * thread.
 *
 * <p>A write never leaves a half-written file: it goes to a temporary file in the same directory (mode 0600 where the
 * file system is POSIX), is forced to the device, renamed over the file atomically, and then the directory itself is
 * forced so that the rename survives a power cut.
 */
final class TokenFile {

  static final int FORMAT = 2;
  /** Tokens as Cafe24's JSON object, no mark, no refresh attempt: read and upgraded. */
  static final int PLAIN_FORMAT = 1;
  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private TokenFile() {
  }

  /**
   * Reads the records. A missing file is an empty store. A corrupt file is moved aside to
   * {@code <file>.corrupt-<yyyyMMdd-HHmmss>} (UTC), logged at ERROR with its new path, and the store starts empty:
   * its bytes are kept for an operator, never deleted and never half-used. A format 1 file is rewritten in format 2.
   * Records the codec cannot open (a missing key) are kept as they are and logged at ERROR by mall.
   *
   * @throws GatewayFailure when the file is of a format this version does not know (a downgrade): it is left alone
   * @throws IOException    when the file cannot be read (it is left alone), a corrupt file cannot be moved aside,
   *                        or an old format cannot be rewritten
   */
  static Map<String, StoredRecord> load(Path file, TokenCodec codec) throws IOException {
    AtomicFile.removeLeftovers(file); // a crash before a rename leaves one behind, holding tokens
    if (Files.notExists(file)) {
      return new HashMap<>();
    }
    Contents contents = read(file, codec);
    if (contents.format() < FORMAT) {
      write(file, contents.records());
      LOG.info("token store file {} upgraded from format {} to {}", file, contents.format(), FORMAT);
    }
    reportUnopenable(file, contents.records(), codec);
    return contents.records();
  }

  private static Contents read(Path file, TokenCodec codec) throws IOException {
    // An unreadable file (permissions, a disk error) fails start-up: moving it aside would silently de-authorize
    // every mall. Only content that reads but does not parse is corrupt.
    byte[] bytes = Files.readAllBytes(file);
    try {
      JsonObject root = new JsonObject(Buffer.buffer(bytes));
      int format = format(root);
      return new Contents(format, records(root, format, codec));
    } catch (GatewayFailure unsupported) {
      throw unsupported;
    } catch (RuntimeException corrupt) {
      // Only the exception's type is logged: a JSON parser quotes the text around the fault, which holds tokens.
      Path aside = moveAside(file);
      LOG.error("token store file {} is corrupt ({}); moved it to {} and starting with no tokens",
          file, corrupt.getClass().getSimpleName(), aside);
      return new Contents(FORMAT, new HashMap<>());
    }
  }

  private static void reportUnopenable(Path file, Map<String, StoredRecord> records, TokenCodec codec) {
    List<String> unopenable = new ArrayList<>();
    new TreeMap<>(records).forEach((mall, record) -> {
      try {
        codec.decode(mall, record.data());
      } catch (RuntimeException cannotOpen) {
        unopenable.add(mall);
      }
    });
    if (!unopenable.isEmpty()) {
      LOG.error("token store file {}: the records of {} cannot be opened with tokens.encryptionKeys (wrong or "
          + "missing key?); they are kept as they are", file, unopenable);
    }
  }

  /** Replaces the file with these records, durably and atomically. */
  static void write(Path file, Map<String, StoredRecord> records) throws IOException {
    AtomicFile.write(file, encode(records));
  }

  static byte[] encode(Map<String, StoredRecord> records) {
    JsonObject malls = new JsonObject();
    new TreeMap<>(records).forEach((mall, record) -> {
      JsonObject entry = new JsonObject()
          .put("v", record.version())
          .put("updated", record.updatedAt().toString())
          .put("data", record.data());
      putIfPresent(entry, "reauth", StoredForm.toJson(record.reauthorization()));
      putIfPresent(entry, "refresh", StoredForm.toJson(record.lastRefresh()));
      malls.put(mall, entry);
    });
    return new JsonObject().put("format", FORMAT).put("malls", malls).encodePrettily()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The records of a file's bytes, format 1 tokens put in the codec's form.
   *
   * @throws RuntimeException of some kind for any content that is not a complete, valid store file
   */
  static Map<String, StoredRecord> decode(byte[] bytes, TokenCodec codec) {
    JsonObject root = new JsonObject(Buffer.buffer(bytes));
    return records(root, format(root), codec);
  }

  private static int format(JsonObject root) {
    Number format = (Number) root.getValue("format");
    if (format.intValue() != FORMAT && format.intValue() != PLAIN_FORMAT) {
      throw new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
          "token store file has format " + format + "; this version reads formats " + PLAIN_FORMAT + " and " + FORMAT);
    }
    return format.intValue();
  }

  private static Map<String, StoredRecord> records(JsonObject root, int format, TokenCodec codec) {
    boolean plain = format == PLAIN_FORMAT;
    Map<String, StoredRecord> records = new HashMap<>();
    JsonObject malls = root.getJsonObject("malls");
    for (String mall : malls.fieldNames()) {
      JsonObject entry = malls.getJsonObject(mall);
      long version = entry.getLong("v");
      if (version < 1) {
        throw new IllegalArgumentException("version below 1");
      }
      String data = plain
          ? StoredForm.seal(codec, mall, TokenResponse.fromJson(entry.getJsonObject("tokens")))
          : Objects.requireNonNull(entry.getString("data"), "data");
      records.put(mall, new StoredRecord(version, Instant.parse(entry.getString("updated")), data,
          StoredForm.reauthorization(entry.getJsonObject("reauth")),
          StoredForm.refreshAttempt(entry.getJsonObject("refresh"))));
    }
    return records;
  }

  private static void putIfPresent(JsonObject entry, String field, JsonObject value) {
    if (value != null) {
      entry.put(field, value);
    }
  }

  /** A file's format and records. */
  private record Contents(int format, Map<String, StoredRecord> records) {
  }

  private static Path moveAside(Path file) throws IOException {
    String base = file.getFileName() + ".corrupt-" + STAMP.format(Instant.now());
    Path target = file.resolveSibling(base);
    for (int n = 2; Files.exists(target); n++) {
      target = file.resolveSibling(base + "-" + n);
    }
    return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
