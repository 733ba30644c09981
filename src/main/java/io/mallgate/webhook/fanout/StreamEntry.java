package io.mallgate.webhook.fanout;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a stream as read back: its id, its text fields in order, and the raw {@code body} field byte for byte
 * (it need not be UTF-8, and it is forwarded exactly as Cafe24 sent it).
 */
public record StreamEntry(String id, Map<String, String> fields, Buffer body) {

  /** A text field, or {@code ""} when absent. */
  public String field(String name) {
    return fields.getOrDefault(name, "");
  }

  /**
   * When the event was recorded, in epoch milliseconds: the number its id starts with ({@code <ms>-<seq>}, in the Redis
   * stream — Redis' clock — and in the embedded log alike); -1 for an id of another form.
   */
  public long recordedAtMillis() {
    int dash = id.indexOf('-');
    try {
      return dash > 0 ? Long.parseLong(id, 0, dash, 10) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Entries of an XRANGE or XCLAIM reply: {@code [[id, [field, value, ...]], ...]}; trimmed entries are skipped. */
  static List<StreamEntry> list(Response reply) {
    List<StreamEntry> entries = new ArrayList<>();
    if (reply == null) {
      return entries;
    }
    for (Response entry : reply) {
      if (entry != null && entry.size() == 2 && entry.get(1) != null) {
        entries.add(of(entry.get(0).toString(), entry.get(1)));
      }
    }
    return entries;
  }

  /**
   * Entries of an XREADGROUP reply for one stream: RESP3 answers a map of stream to entries, RESP2 a list of
   * {@code [stream, entries]}; nil when there was nothing new.
   */
  static List<StreamEntry> read(Response reply, String stream) {
    if (reply == null) {
      return List.of();
    }
    if (reply.isMap()) {
      return list(reply.get(stream));
    }
    return reply.size() == 0 ? List.of() : list(reply.get(0).get(1));
  }

  /**
   * An entry as JSON (the legacy embedded files, which the embedded store imports; a stored dead letter): {@code id}, text fields, and the
   * raw {@code body} in base64. Fails with an unchecked exception on a line that is not such an object.
   */
  public static StreamEntry fromJson(JsonObject line) {
    Map<String, String> fields = new LinkedHashMap<>();
    line.forEach(field -> {
      if (!field.getKey().equals("id") && !field.getKey().equals("body")) {
        fields.put(field.getKey(), String.valueOf(field.getValue()));
      }
    });
    String id = line.getString("id");
    if (id == null) {
      throw new IllegalArgumentException("an entry without an id");
    }
    Buffer body = Buffer.buffer(Base64.getDecoder().decode(line.getString("body", "")));
    return new StreamEntry(id, Collections.unmodifiableMap(fields), body);
  }

  /** The form {@link #fromJson} reads. */
  public JsonObject toJson() {
    JsonObject line = new JsonObject().put("id", id);
    fields.forEach(line::put);
    return line.put("body", Base64.getEncoder().encodeToString(body.getBytes()));
  }

  private static StreamEntry of(String id, Response pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    Buffer body = Buffer.buffer();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      String name = pairs.get(i).toString();
      Response value = pairs.get(i + 1);
      if (name.equals("body")) {
        body = value == null ? Buffer.buffer() : value.toBuffer();
      } else {
        fields.put(name, value == null ? "" : value.toString(StandardCharsets.UTF_8));
      }
    }
    return new StreamEntry(id, Collections.unmodifiableMap(fields), body);
  }

  @Override
  public String toString() {
    // Never the body: it may carry personal data of the mall's customers.
    return "StreamEntry[" + id + ", event_no=" + field("event_no") + ", bytes=" + body.length() + "]";
  }
}
