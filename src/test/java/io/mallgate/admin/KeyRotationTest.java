package io.mallgate.admin;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the encryption key: list the new key first, re-seal through the admin API, drop the old key. */
@Timeout(60)
class KeyRotationTest {

  private static final String NEW_KEY = "k2:" + Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir
  Path dir;

  @Test
  void should_reseal_every_record_under_the_new_key_when_keys_rotate() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      RunningGateway old = fixture.deploy(fixture.config("", dir));
      JsonObject tokens = fixture.install(old, "rotating");
      fixture.install(old, "rotating2");
      result(old.stop());

      RunningGateway both = fixture.deploy(fixture.config("", dir)
          .set("tokens.encryptionKeys", List.of(NEW_KEY, TestConfig.TOKEN_KEY)));
      JsonObject resealed = fixture.admin(both, HttpMethod.POST, "/admin/reseal").bodyAsJsonObject();
      assertEquals(new JsonObject().put("malls", 2).put("resealed", 2), resealed);
      assertEquals(0, fixture.admin(both, HttpMethod.POST, "/admin/reseal").bodyAsJsonObject().getInteger("resealed"));
      result(both.stop());

      String file = new String(Files.readAllBytes(dir.resolve("mallgate.db")), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertFalse(file.contains(tokens.getString("access_token")));
      assertFalse(file.contains("mg1.test1."), "nothing left under the old key, not even in a free page");
      RunningGateway fresh = fixture.deploy(fixture.config("", dir).set("tokens.encryptionKeys", List.of(NEW_KEY)));
      assertTrue(fixture.admin(fresh, HttpMethod.GET, "/admin/malls/rotating").bodyAsJsonObject()
          .getBoolean("has_token"));
      assertEquals(200, fixture.get(fresh, "/malls/rotating/api/v2/admin/products").statusCode());
    }
  }
}
