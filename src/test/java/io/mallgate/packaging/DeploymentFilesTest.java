package io.mallgate.packaging;

import static io.mallgate.packaging.DeployFiles.at;
import static io.mallgate.packaging.DeployFiles.document;
import static io.mallgate.packaging.DeployFiles.list;
import static io.mallgate.packaging.DeployFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.ConfigException;
import io.mallgate.config.ConfigLoader;
import io.mallgate.config.GatewayConfig;
import io.mallgate.health.HealthRoutes;
import io.mallgate.testsupport.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/ against the gateway itself: every YAML file parses; the ConfigMap's gateway.yaml and the shipped conf pass
 * the gateway's own validation with exactly the variables the Secret, the Deployment and Compose provide; probes,
 * ports, grace periods and deadlines agree with that configuration.
 */
class DeploymentFilesTest {

  /** Valid stand-ins for every variable a deployment file may provide; a new one must be added here. */
  private static final Map<String, String> VALID = Map.of(
      "CAFE24_CLIENT_ID", "client-id",
      "CAFE24_CLIENT_SECRET", "client-secret",
      "CAFE24_FRONT_API_KEY", "front-api-key",
      "CAFE24_WEBHOOK_API_KEY", "webhook-auth-key",
      "REDIS_URL", "redis://redis:6379",
      "MALLGATE_ADMIN_TOKEN", "0123456789abcdef01234567",
      "MALLGATE_TOKEN_KEY", TestConfig.TOKEN_KEY);

  @Test
  void should_parse_every_yaml_file_when_read_by_snakeyaml() {
    List<Path> files = DeployFiles.yamlFiles();
    assertTrue(files.size() >= 6, "compose.yaml and the k8s manifests: " + files);
    for (Path file : files) {
      assertFalse(DeployFiles.documents(file).isEmpty(), file + " is empty");
    }
  }

  @Test
  void should_load_the_configmap_config_when_only_the_secret_and_the_deployment_env_are_set() throws Exception {
    GatewayConfig config = kubernetesConfig();
    assertTrue(config.redis().enabled(), "two replicas need Redis");
    assertTrue(config.tokens().encrypted());
    assertTrue(config.webhook().route().verifiable(), "the Secret carries Cafe24's webhook key");
  }

  @Test
  void should_probe_the_configured_port_and_the_health_routes_when_deployed_to_kubernetes() throws Exception {
    GatewayConfig config = kubernetesConfig();
    Map<String, Object> pod = map(at(document("k8s/deployment.yaml"), "spec.template"));
    Map<String, Object> container = map(at(pod, "spec.containers.0"));

    assertEquals(config.server().port(), at(container, "ports.0.containerPort"));
    assertEquals(config.server().publicPort(), at(container, "ports.1.containerPort"));
    assertEquals("http", at(container, "ports.0.name"));
    assertProbe(container, "startupProbe", HealthRoutes.LIVE);
    assertProbe(container, "livenessProbe", HealthRoutes.LIVE);
    assertProbe(container, "readinessProbe", HealthRoutes.READY);
    // The readiness answer may take one Redis deadline plus the check's slack: the probe must wait longer.
    long readinessTimeout = ((Integer) at(container, "readinessProbe.timeoutSeconds")) * 1000L;
    assertTrue(readinessTimeout > config.redis().commandTimeout().toMillis() + 500, "readiness timeoutSeconds");

    long preStop = Long.parseLong((String) at(container, "lifecycle.preStop.exec.command.1"));
    long grace = ((Integer) at(pod, "spec.terminationGracePeriodSeconds")).longValue();
    assertTrue(grace > preStop + config.server().shutdownGrace().toSeconds(),
        "terminationGracePeriodSeconds must cover the preStop pause and server.shutdownGrace");
  }

  @Test
  void should_wire_configmap_secret_service_and_budget_by_name_and_label_when_deployed_to_kubernetes() {
    Map<String, Object> deployment = document("k8s/deployment.yaml");
    Map<String, Object> pod = map(at(deployment, "spec.template"));
    Map<String, Object> container = map(at(pod, "spec.containers.0"));
    Object labels = at(pod, "metadata.labels");

    assertEquals(2, at(deployment, "spec.replicas"));
    assertEquals(labels, at(deployment, "spec.selector.matchLabels"));
    assertEquals(labels, at(document("k8s/service.yaml"), "spec.selector"));
    assertEquals("http", at(document("k8s/service.yaml"), "spec.ports.0.targetPort"));
    // The internet-facing Service reaches only the public listener.
    assertEquals(labels, at(document("k8s/service-public.yaml"), "spec.selector"));
    assertEquals("public", at(document("k8s/service-public.yaml"), "spec.ports.0.targetPort"));
    assertEquals("public", at(container, "ports.1.name"));
    assertEquals(labels, at(document("k8s/pdb.yaml"), "spec.selector.matchLabels"));
    assertEquals(at(document("k8s/secret.example.yaml"), "metadata.name"), at(container, "envFrom.0.secretRef.name"));
    assertEquals(at(document("k8s/configmap.yaml"), "metadata.name"), at(pod, "spec.volumes.0.configMap.name"));
    assertEquals(at(container, "volumeMounts.0.mountPath") + "/gateway.yaml", at(container, "args.1"));

    // Non-root, as the image's user, on a read-only root with a writable /tmp (Vert.x and Netty write there).
    assertEquals(imageUid(), at(pod, "spec.securityContext.runAsUser"));
    assertEquals(true, at(pod, "spec.securityContext.runAsNonRoot"));
    assertEquals(true, at(container, "securityContext.readOnlyRootFilesystem"));
    assertEquals("/tmp", at(container, "volumeMounts.1.mountPath"));
  }

  @Test
  void should_check_liveness_on_the_shipped_port_when_the_image_is_built() throws Exception {
    GatewayConfig config = ConfigLoader.load(Path.of("conf", "gateway.yaml"), composeEnvironment());
    String dockerfile = DeployFiles.text(DeployFiles.ROOT.resolve("Dockerfile"));

    assertTrue(dockerfile.contains("AS build"), "multi-stage");
    Matcher runtime = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-jre").matcher(dockerfile);
    assertTrue(runtime.find() && Integer.parseInt(runtime.group(1)) >= 17, "a JRE runtime, 17 or later");
    assertTrue(dockerfile.contains("EXPOSE " + config.server().port()));
    assertTrue(dockerfile.contains("http://127.0.0.1:" + config.server().port() + HealthRoutes.LIVE),
        "HEALTHCHECK on the liveness route and the configured port");
    assertTrue(dockerfile.contains("\"--config\", \"/app/conf/gateway.yaml\""));
    assertTrue(imageUid() > 0, "non-root");
  }

  @Test
  void should_give_every_compose_gateway_redis_the_secrets_and_time_to_drain_when_started_with_compose()
      throws Exception {
    GatewayConfig config = ConfigLoader.load(Path.of("conf", "gateway.yaml"), composeEnvironment());
    Map<String, Object> services = map(at(document("compose.yaml"), "services"));
    assertTrue(config.webhook().route().verifiable(), "mallgate.env carries Cafe24's webhook key");
    for (String name : List.of("gateway-1", "gateway-2")) {
      Map<String, Object> gateway = map(services.get(name));
      assertEquals("mallgate.env", gateway.get("env_file"), name);
      assertTrue(seconds((String) gateway.get("stop_grace_period")) > config.server().shutdownGrace().toSeconds(),
          name + ": stop_grace_period must exceed server.shutdownGrace");
      assertTrue(((String) at(gateway, "environment.REDIS_URL")).startsWith("redis://redis:"), name);
    }
    assertTrue(config.redis().enabled());
    assertTrue(list(at(services.get("sandbox"), "command")).contains("--sandbox"));

    String nginx = DeployFiles.text(DeployFiles.ROOT.resolve("nginx.conf"));
    assertTrue(nginx.contains("server gateway-1:" + config.server().port()));
    assertTrue(nginx.contains("server gateway-2:" + config.server().port()));
    assertTrue(config.server().publicListener(), "compose gateways serve a public port");
    assertTrue(nginx.contains("server gateway-1:" + config.server().publicPort()));
    Matcher body = Pattern.compile("client_max_body_size (\\d+)m;").matcher(nginx);
    assertTrue(body.find() && Long.parseLong(body.group(1)) * 1024 * 1024 >= config.proxy().maxBodySize(),
        "nginx must not refuse a body the gateway accepts");
    Matcher read = Pattern.compile("proxy_read_timeout (\\d+)s;").matcher(nginx);
    assertTrue(read.find() && Long.parseLong(read.group(1)) > config.proxy().totalTimeout().toSeconds(),
        "the gateway's own 504 must reach the caller");
  }

  /** The ConfigMap's gateway.yaml with the Secret's keys and the Deployment's literal env values, nothing else. */
  private static GatewayConfig kubernetesConfig() throws ConfigException {
    Map<String, String> env = new HashMap<>();
    map(at(document("k8s/secret.example.yaml"), "stringData")).keySet().forEach(key -> env.put(key, valid(key)));
    for (Object variable : list(at(document("k8s/deployment.yaml"), "spec.template.spec.containers.0.env"))) {
      env.put((String) at(variable, "name"), (String) at(variable, "value"));
    }
    // The key has a dot in it, so it is looked up directly rather than by a dotted path.
    String yaml = (String) map(at(document("k8s/configmap.yaml"), "data")).get("gateway.yaml");
    return ConfigLoader.fromYaml(yaml, env);
  }

  /** Compose's environment for a gateway: mallgate.env (from the example's keys) plus the service's environment. */
  private static Map<String, String> composeEnvironment() {
    Map<String, String> env = new HashMap<>();
    for (String line : DeployFiles.text(DeployFiles.ROOT.resolve("mallgate.env.example")).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String key = line.substring(0, line.indexOf('='));
        env.put(key, valid(key));
      }
    }
    Map<String, Object> gateway = map(at(document("compose.yaml"), "services.gateway-1.environment"));
    // Compose's own ${VAR:-default} interpolation, with nothing set in the shell: the default.
    gateway.forEach((key, value) -> env.put(key,
        String.valueOf(value).replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1")));
    return env;
  }

  private static String valid(String variable) {
    String value = VALID.get(variable);
    if (value == null) {
      throw new AssertionError("a deployment file provides " + variable + ": give it a valid stand-in in VALID");
    }
    return value;
  }

  private static void assertProbe(Map<String, Object> container, String probe, String path) {
    assertEquals(path, at(container, probe + ".httpGet.path"), probe);
    assertEquals("http", at(container, probe + ".httpGet.port"), probe);
  }

  private static int imageUid() {
    String dockerfile = DeployFiles.text(DeployFiles.ROOT.resolve("Dockerfile"));
    Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
    assertTrue(user.find(), "the Dockerfile names a numeric USER");
    return Integer.parseInt(user.group(1));
  }

  private static long seconds(String duration) {
    assertTrue(duration.matches("\\d+s"), duration);
    return Duration.ofSeconds(Long.parseLong(duration.substring(0, duration.length() - 1))).toSeconds();
  }
}
