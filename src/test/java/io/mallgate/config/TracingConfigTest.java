package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TracingConfigTest {

  private static final String CREDENTIAL = "otlp-credential-5d1c";

  @Test
  void should_be_off_with_every_trace_sampled_when_every_key_is_default() throws Exception {
    GatewayConfig.Tracing tracing = ConfigLoader.defaults(Configs.ENV).tracing();
    assertEquals(new GatewayConfig.Tracing(Secret.empty(), 1.0, "mallgate"), tracing);
    assertFalse(tracing.enabled());
  }

  @Test
  void should_take_the_endpoint_from_the_environment_when_MALLGATE_OTLP_ENDPOINT_is_set() throws Exception {
    GatewayConfig.Tracing tracing = ConfigLoader.fromYaml("{}",
        Configs.env("MALLGATE_OTLP_ENDPOINT", "https://collector.internal:4318/v1/traces")).tracing();
    assertTrue(tracing.enabled());
    assertEquals("https://collector.internal:4318/v1/traces", tracing.otlpEndpoint().reveal());
    assertEquals(null, ConfigWarnings.tracingWarning(tracing));
  }

  @Test
  void should_refuse_a_ratio_outside_0_to_1_and_an_empty_service_name() {
    assertEquals(List.of("tracing.sampleRatio: must be between 0.0 and 1.0, got '1.5'",
            "tracing.serviceName: must not be empty"),
        problems("tracing: {sampleRatio: 1.5, serviceName: ''}"));
  }

  @Test
  void should_refuse_an_endpoint_without_quoting_it_when_it_is_not_an_http_url() {
    for (String endpoint : List.of("collector:4318/" + CREDENTIAL, "grpc://collector/" + CREDENTIAL,
        "http:///v1/traces?" + CREDENTIAL, "http://collector/v1/traces#" + CREDENTIAL)) {
      List<String> problems = problems("tracing: {otlpEndpoint: '" + endpoint + "'}");
      assertEquals(1, problems.size(), endpoint);
      assertTrue(problems.get(0).startsWith("tracing.otlpEndpoint: must be empty (tracing off) or an absolute"),
          problems.get(0));
      assertFalse(problems.get(0).contains(CREDENTIAL));
    }
  }

  @Test
  void should_refuse_credentials_in_the_endpoint_without_quoting_them() {
    List<String> problems = problems("tracing: {otlpEndpoint: 'https://user:" + CREDENTIAL + "@collector/v1/traces'}");
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("must not carry user:password@"), problems.get(0));
    assertFalse(problems.get(0).contains(CREDENTIAL));
  }

  @Test
  void should_warn_when_the_endpoint_has_no_path_because_nothing_is_appended() throws Exception {
    GatewayConfig config = ConfigLoader.fromYaml("tracing: {otlpEndpoint: 'http://collector:4318'}", Configs.ENV);
    assertTrue(ConfigWarnings.of(config).contains(ConfigWarnings.OTLP_ENDPOINT_WITHOUT_PATH));
    assertEquals(ConfigWarnings.OTLP_ENDPOINT_WITHOUT_PATH, ConfigWarnings.tracingWarning(config.tracing()));
  }

  @Test
  void should_never_show_the_endpoint_when_the_config_is_printed() throws Exception {
    GatewayConfig config = ConfigLoader.fromYaml("tracing: {otlpEndpoint: 'https://collector/v1/traces?key="
        + CREDENTIAL + "'}", Configs.ENV);
    assertFalse(config.toString().contains(CREDENTIAL));
  }
}
