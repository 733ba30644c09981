package io.mallgate.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that takes more than about 3 s (real waits, many gateways, soaks): tagged {@code slow}, so that
 * {@code mvn -B -o test -DexcludedGroups=slow} runs the fast rest in under a minute. {@code mvn verify} runs
 * everything; nothing excludes the tag by default.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {
}
