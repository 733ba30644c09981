package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokensConfigTest {

  private static final Map<String, String> NO_KEY = Map.of("CAFE24_CLIENT_ID", "id", "CAFE24_CLIENT_SECRET", "s");

  @Test
  void should_explain_how_to_make_a_key_when_encryption_has_no_key() {
    List<String> problems = problems("", NO_KEY);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("tokens.encryptionKeys:"), problems.get(0));
    assertTrue(problems.get(0).contains("--generate-key"), problems.get(0));
  }

  @Test
  void should_start_without_key_when_encryption_is_explicitly_none() throws Exception {
    assertFalse(ConfigLoader.fromYaml("tokens: {encryption: none}", NO_KEY).tokens().encrypted());
  }

  @Test
  void should_refuse_key_without_revealing_it_when_it_is_malformed() {
    String canary = "k1:Q0FOQVJZLW5vdC0zMi1ieXRlcw==";
    List<String> problems = problems("tokens: {encryptionKeys: [\"" + canary + "\", \"nocolon\"]}", NO_KEY);
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("tokens.encryptionKeys[0]:"), problems.get(0));
    assertTrue(problems.get(0).contains("32"), problems.get(0));
    problems.forEach(problem -> assertFalse(problem.contains("Q0FOQVJZ"), problem));
  }

  @Test
  void should_refuse_lock_lease_when_it_is_not_longer_than_two_exchanges() {
    List<String> problems = problems("tokens: {lockLease: 20s}");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("tokens.lockLease:"), problems.get(0));
  }

  @Test
  void should_refuse_keys_when_two_share_an_id() {
    String other = "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    List<String> problems = problems("tokens: {encryptionKeys: [\"" + Configs.KEY + "\", \"" + other + "\"]}", NO_KEY);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("tokens.encryptionKeys:"), problems.get(0));
  }

  @Test
  void should_refuse_min_refresh_interval_when_under_a_second() {
    List<String> problems = problems("tokens: {minRefreshInterval: 10ms}");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("tokens.minRefreshInterval:"), problems.get(0));
  }

  @Test
  void should_refuse_unknown_encryption_when_misspelled() {
    assertTrue(problems("tokens: {encryption: aes}").get(0).startsWith("tokens.encryption:"));
  }
}
