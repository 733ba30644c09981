package io.mallgate.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class whose assertions count events per real second (Cafe24's pacing as the simulator sees it, a bucket
 * draining on Redis's clock): tagged {@code realtime}, and run on its own after the rest, which runs in two JVMs side
 * by side (see the Surefire executions in {@code pom.xml}). A test JVM starved by a neighbour on this 2-core machine
 * delays what it counts and bunches arrivals that the gateway sent well apart.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("realtime")
public @interface RealTime {
}
