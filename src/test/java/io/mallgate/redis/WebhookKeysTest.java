package io.mallgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook de-duplication mark and its stream must share a Cluster slot: one script writes both. */
class WebhookKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"mallgate:webhooks", "app:{hooks}:events", "{hooks}", "prod:webhooks:v2"})
  void should_put_the_mark_in_the_stream_slot_when_the_stream_has_or_lacks_a_hash_tag(String stream) {
    String mark = RedisKeys.webhookDedup(stream, "0123abcd");
    assertEquals(slot(stream), slot(mark), mark);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mallgate:webhooks", "app:{hooks}:events", "{hooks}", "prod:webhooks:v2"})
  void should_put_the_dead_letters_in_the_stream_slot_when_the_stream_has_or_lacks_a_hash_tag(String stream) {
    String dead = RedisKeys.webhookDeadLetters(stream);
    assertEquals(slot(stream), slot(dead), dead);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a{b", "a}b", ""})
  void should_refuse_when_the_stream_name_has_a_malformed_hash_tag(String stream) {
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.webhookDedup(stream, "00"));
  }

  /** Redis Cluster's key slot: CRC16 (XMODEM) of the hash tag, or of the whole key without one, modulo 16384. */
  static int slot(String key) {
    int open = key.indexOf('{');
    int close = open < 0 ? -1 : key.indexOf('}', open + 1);
    String hashed = close > open + 1 ? key.substring(open + 1, close) : key;
    int crc = 0;
    for (byte b : hashed.getBytes(StandardCharsets.UTF_8)) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return (crc & 0xffff) % 16384;
  }
}
