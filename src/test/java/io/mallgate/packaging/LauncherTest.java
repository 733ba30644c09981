package io.mallgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mallgate, the launcher the image and operators use: its default flags are accepted by the real JVMs at hand; it
 * leaves to the operator what JAVA_OPTS or JDK_JAVA_OPTIONS set; it uses a start-up cache only when it fits the jar and
 * the JVM's release; it execs java (so signals reach the gateway); and the image trains the very cache it maps. The
 * logic runs against a stand-in JDK (a release file and a script for bin/java), so any release can be tried here.
 */
class LauncherTest {

  private static final Path LAUNCHER = Path.of("bin", "mallgate");
  private static final Pattern RELEASE = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  @TempDir
  Path dir;

  @Test
  void should_start_each_installed_jvm_with_the_default_flags_when_given_no_options() throws IOException {
    Path jar = Files.createFile(dir.resolve("mallgate.jar"));
    Set<Path> jdks = installedJdks();
    for (Path jdk : jdks) {
      List<String> command = printed(Map.of("JAVA_HOME", jdk.toString(), "MALLGATE_JAR", jar.toString()));
      // Everything before -jar, run with -version instead of the gateway: the JVM refuses a flag it does not know.
      List<String> jvm = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
      jvm.addAll(command.subList(0, command.indexOf("-jar")));
      jvm.add("-version");
      Result version = run(jvm, Map.of());
      assertEquals(0, version.status, jdk + ": " + jvm + "\n" + version.output);
      assertFalse(version.output.contains("warning"), jdk + ": " + version.output);
    }
    assertFalse(jdks.isEmpty());
  }

  @Test
  void should_limit_the_heap_and_exit_on_out_of_memory_when_nothing_else_is_said() throws IOException {
    List<String> command = printed(fakeJdk(25, "mallgate"));
    assertTrue(command.contains("-XX:+ExitOnOutOfMemoryError"), command.toString());
    assertTrue(command.contains("-Xmx128m") || command.contains("-XX:MaxRAMPercentage=60"), command.toString());
    assertTrue(command.contains("-XX:+UseCompactObjectHeaders"), command.toString());
    assertEquals(List.of("-jar", dir.resolve("mallgate.jar").toRealPath().toString(), "--sandbox"),
        command.subList(command.size() - 3, command.size()));

    List<String> java17 = printed(fakeJdk(17, "mallgate"));
    assertFalse(java17.contains("-XX:+UseCompactObjectHeaders"), "not a flag of 17: " + java17);
    assertFalse(java17.stream().anyMatch(flag -> flag.startsWith("--sun-misc")), java17.toString());
  }

  @Test
  void should_leave_the_heap_and_headers_to_the_operator_when_java_opts_or_jdk_java_options_set_them()
      throws IOException {
    Map<String, String> env = fakeJdk(25, "mallgate");

    List<String> javaOpts = printed(with(env, "JAVA_OPTS", "-Xmx1g -XX:-UseCompactObjectHeaders"));
    assertFalse(javaOpts.contains("-Xmx128m") || javaOpts.contains("-XX:MaxRAMPercentage=60"), javaOpts.toString());
    assertFalse(javaOpts.contains("-XX:+UseCompactObjectHeaders"), javaOpts.toString());
    assertTrue(javaOpts.indexOf("-Xmx1g") < javaOpts.indexOf("-jar"), "JAVA_OPTS are JVM flags: " + javaOpts);

    // java reads JDK_JAVA_OPTIONS before its command line: a default there would override the operator's.
    List<String> jdkOptions = printed(with(env, "JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=50"));
    assertFalse(jdkOptions.stream().anyMatch(flag -> flag.startsWith("-Xmx") || flag.startsWith("-XX:MaxRAM")),
        jdkOptions.toString());

    assertTrue(printed(with(env, "MALLGATE_HEAP", "512m")).contains("-Xmx512m"));
  }

  @Test
  void should_map_the_cache_beside_the_jar_only_when_it_is_newer_than_the_jar_and_fits_the_release()
      throws IOException {
    Map<String, String> java25 = fakeJdk(25, "mallgate");
    Path jar = dir.resolve("mallgate.jar");
    Path aot = Files.write(dir.resolve("mallgate.aot"), new byte[] {1});
    Path jsa = Files.write(dir.resolve("mallgate.jsa"), new byte[] {1});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000_000L));
    String real = dir.toRealPath().toString();

    assertTrue(printed(java25).contains("-XX:AOTCache=" + real + "/mallgate.aot"));
    assertTrue(printed(fakeJdk(17, "mallgate")).contains("-XX:SharedArchiveFile=" + real + "/mallgate.jsa"),
        "no AOT cache before 25: the AppCDS archive");
    assertTrue(printed(with(java25, "MALLGATE_CACHE", jsa.toString())).contains("-XX:SharedArchiveFile=" + jsa));
    assertFalse(printed(with(java25, "MALLGATE_CACHE", "none")).stream().anyMatch(flag -> flag.contains("AOT")));

    Files.setLastModifiedTime(aot, FileTime.fromMillis(999_000_000_000L));
    assertFalse(printed(java25).stream().anyMatch(flag -> flag.contains("AOT")), "a cache older than its jar is stale");
  }

  @Test
  void should_write_the_cache_with_the_same_flags_when_training() throws IOException {
    Map<String, String> java25 = fakeJdk(25, "mallgate");
    List<String> using = printed(java25);
    List<String> training = printed(with(java25, "MALLGATE_CACHE_WRITE", "1"));
    String real = dir.toRealPath().toString();

    assertTrue(training.contains("-XX:AOTCacheOutput=" + real + "/mallgate.aot"), training.toString());
    training.remove("-XX:AOTCacheOutput=" + real + "/mallgate.aot");
    assertEquals(using, training, "a JVM refuses a cache made with other flags");
    assertTrue(printed(with(fakeJdk(17, "mallgate"), "MALLGATE_CACHE_WRITE", "1"))
        .contains("-XX:ArchiveClassesAtExit=" + real + "/mallgate.jsa"));
  }

  @Test
  void should_replace_itself_with_java_when_it_starts_the_gateway() throws Exception {
    Map<String, String> env = fakeJdk(25, "mallgate");
    ProcessBuilder builder = new ProcessBuilder("sh", LAUNCHER.toString(), "--config", "gateway yaml")
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    Process launcher = builder.start();
    String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS));

    // The stand-in java prints its own process id: the launcher's, so SIGTERM and SIGHUP go straight to the JVM.
    List<String> lines = List.of(output.split("\n"));
    assertEquals(String.valueOf(launcher.pid()), lines.get(0), output);
    assertEquals(List.of("--config", "gateway yaml"), lines.subList(lines.size() - 2, lines.size()));
  }

  @Test
  void should_train_the_cache_the_launcher_maps_when_the_image_is_built() throws IOException {
    String dockerfile = DeployFiles.text(DeployFiles.ROOT.resolve("Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-jre").matcher(dockerfile);
    assertTrue(from.find(), "a Temurin JRE runtime");
    Matcher trained = Pattern.compile("aot-cache\\.sh (/app/(\\S+)\\.jar) /app/(\\S+)").matcher(dockerfile);
    assertTrue(trained.find(), "the image build runs scripts/aot-cache.sh JAR CACHE");
    assertTrue(dockerfile.contains("COPY bin/mallgate /app/bin/mallgate"));
    assertTrue(dockerfile.contains("ENTRYPOINT [\"/app/bin/mallgate\"]"));
    assertTrue(DeployFiles.text(DeployFiles.ROOT.resolve("Dockerfile.dockerignore")).contains("!bin/mallgate"));

    // The same names in a directory here: the launcher, on the image's release, maps the trained cache by default.
    Map<String, String> env = fakeJdk(Integer.parseInt(from.group(1)), trained.group(2));
    Path cache = Files.write(dir.resolve(trained.group(3)), new byte[] {1});
    Files.setLastModifiedTime(dir.resolve(trained.group(2) + ".jar"), FileTime.fromMillis(1_000_000_000_000L));
    List<String> command = printed(env);
    assertTrue(command.contains("-XX:AOTCache=" + cache.toRealPath()) || command.contains(
        "-XX:SharedArchiveFile=" + cache.toRealPath()), command.toString());
    assertTrue(Files.isExecutable(LAUNCHER) && Files.isExecutable(Path.of("scripts", "aot-cache.sh")));
  }

  /** A stand-in JDK of {@code release} and a jar {@code name}.jar in the temporary directory; the launcher's env. */
  private Map<String, String> fakeJdk(int release, String name) throws IOException {
    Path home = dir.resolve("jdk-" + release);
    if (!Files.isDirectory(home)) {
      Files.createDirectories(home.resolve("bin"));
      Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + release + ".0.1\"\n");
      // Prints its process id, then its arguments: what exec gave it.
      Path java = Files.writeString(home.resolve("bin").resolve("java"), "#!/bin/sh\necho \"$$\"\nprintf '%s\\n' \"$@\"\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path jar = dir.resolve(name + ".jar");
    if (!Files.exists(jar)) {
      Files.createFile(jar);
    }
    return Map.of("JAVA_HOME", home.toString(), "MALLGATE_JAR", jar.toString());
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> more = new java.util.HashMap<>(env);
    more.put(key, value);
    return more;
  }

  /** The launcher's java command, one argument a line, without the java itself. */
  private static List<String> printed(Map<String, String> env) {
    Result result = run(List.of("sh", LAUNCHER.toString(), "--print-java-command", "--sandbox"), env);
    assertEquals(0, result.status, result.output);
    List<String> lines = new ArrayList<>(List.of(result.output.split("\n")));
    return lines.subList(1, lines.size());
  }

  /** This JVM's home and every other JDK or JRE under /usr/lib/jvm of another feature release. */
  private static Set<Path> installedJdks() throws IOException {
    Set<Path> homes = new LinkedHashSet<>();
    Set<String> releases = new java.util.HashSet<>();
    Path self = Path.of(System.getProperty("java.home")).toRealPath();
    homes.add(self);
    releases.add(release(self));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> all = Files.list(jvms)) {
        for (Path home : all.sorted().toList()) {
          String release = release(home);
          if (release != null && Files.isExecutable(home.resolve("bin/java")) && releases.add(release)) {
            homes.add(home);
          }
        }
      }
    }
    return homes;
  }

  private static String release(Path home) {
    try {
      Path file = home.resolve("release");
      Matcher version = RELEASE.matcher(Files.isRegularFile(file) ? Files.readString(file) : "");
      return version.find() ? version.group(1) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Result run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // Only what the test names: an operator's JAVA_OPTS in the build's environment must not change the outcome.
      builder.environment().keySet().removeAll(List.of("JAVA_OPTS", "JDK_JAVA_OPTIONS", "MALLGATE_HEAP",
          "MALLGATE_CACHE", "MALLGATE_CACHE_WRITE", "MALLGATE_JAR", "JAVA_TOOL_OPTIONS"));
      builder.environment().putAll(env);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), command.toString());
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private record Result(int status, String output) {
  }
}
