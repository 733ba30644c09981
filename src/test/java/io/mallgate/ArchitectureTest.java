package io.mallgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph of {@code docs/architecture.md}, enforced: drift fails the build rather than a review.
 */
@AnalyzeClasses(packages = "io.mallgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** No two packages depend on each other, however indirectly (sub-packages count with their parent). */
  @ArchTest
  static final ArchRule no_cycles_between_packages = slices().matching("io.mallgate.(*)..").should().beFreeOfCycles();

  /** Every feature may raise a failure, so the failure type depends on nothing of the gateway. */
  @ArchTest
  static final ArchRule error_is_a_leaf = noClasses().that().resideInAPackage("io.mallgate.error..")
      .should().dependOnClassesThat(gatewayOutside("io.mallgate.error.."));

  /** Cafe24's value types are for every feature: they need nothing but the failure type. */
  @ArchTest
  static final ArchRule cafe24_values_depend_only_on_error = classes().that().resideInAPackage("io.mallgate.cafe24..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.mallgate.cafe24..", "io.mallgate.error..", "java..");

  /**
   * Redis plumbing carries no feature's meaning: not even an error code. It fails with a neutral RedisUnavailable,
   * which each feature maps to its own code.
   */
  @ArchTest
  static final ArchRule redis_is_plumbing = noClasses().that().resideInAPackage("io.mallgate.redis..")
      .should().dependOnClassesThat(gatewayOutside("io.mallgate.redis..")
          .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.mallgate.config.."))));

  /**
   * The simulator is an independent oracle: it shares no parsing, token or time code with the gateway, or its
   * agreement would prove nothing. The gateway's glue that runs it ({@code --sandbox}) lives beside {@code Main}.
   */
  @ArchTest
  static final ArchRule simulator_imports_no_gateway_code = noClasses().that().resideInAPackage("io.mallgate.sandbox..")
      .should().dependOnClassesThat(gatewayOutside("io.mallgate.sandbox.."));

  /** Only the composition root (Main and the sandbox glue beside it) may reach the simulator's entry points. */
  @ArchTest
  static final ArchRule no_feature_uses_the_simulator = noClasses().that().resideInAPackage("io.mallgate.(*)..")
      .and().resideOutsideOfPackage("io.mallgate.sandbox..")
      .should().dependOnClassesThat().resideInAPackage("io.mallgate.sandbox..");

  /**
   * The OpenTelemetry SDK stays behind {@code io.mallgate.tracing}: a span holds only what the gateway's code sets on
   * it, and nothing traces, propagates or exports on its own (as an auto-instrumented HTTP client would).
   */
  @ArchTest
  static final ArchRule only_tracing_uses_opentelemetry = noClasses().that()
      .resideOutsideOfPackage("io.mallgate.tracing..")
      .should().dependOnClassesThat().resideInAPackage("io.opentelemetry..");

  /** Every feature may trace, so tracing knows none: only the config, the edge's facts of a request and failures. */
  @ArchTest
  static final ArchRule tracing_knows_no_feature = noClasses().that().resideInAPackage("io.mallgate.tracing..")
      .should().dependOnClassesThat(gatewayOutside("io.mallgate.tracing..")
          .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage("io.mallgate.config..",
              "io.mallgate.edge..", "io.mallgate.error.."))));

  /** Classes of the gateway outside {@code own}. */
  private static DescribedPredicate<JavaClass> gatewayOutside(String own) {
    return JavaClass.Predicates.resideInAPackage("io.mallgate..")
        .and(JavaClass.Predicates.resideOutsideOfPackage(own))
        .as("classes of the gateway outside " + own);
  }

  /** One thin verticle: the composition root builds the rest. */
  @ArchTest
  static final ArchRule one_verticle = classes().that().haveSimpleNameEndingWith("Verticle")
      .should().haveFullyQualifiedName("io.mallgate.GatewayVerticle");
}
