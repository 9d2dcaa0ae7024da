package dev.keel.kernel.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.keel.kernel.arch.fixture.CleanFixture;
import dev.keel.kernel.arch.fixture.ClockReadingFixture;
import dev.keel.kernel.arch.fixture.ConcurrencyFixture;
import dev.keel.kernel.arch.fixture.FileOpeningFixture;
import dev.keel.kernel.arch.fixture.ForeignDependencyFixture;
import dev.keel.kernel.arch.fixture.ThreadStartingFixture;
import dev.keel.kernel.arch.fixture.UnseededRandomFixture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves the guard can fail: each fixture breaks one rule and the violation must be reported. */
class KernelRulesSelfTest {

    @Test
    void cleanFixturePasses() {
        EvaluationResult result = KernelRules.ALL.evaluate(importOf(CleanFixture.class));
        assertFalse(result.hasViolation(), result.getFailureReport().toString());
    }

    @Test
    void clockReadIsReported() {
        assertViolation(KernelRules.NO_CLOCK_OR_ENTROPY_CALLS, ClockReadingFixture.class, "System.nanoTime()");
        assertViolation(KernelRules.NO_CLOCK_OR_ENTROPY_CALLS, ClockReadingFixture.class,
                "System.currentTimeMillis()");
        assertViolation(KernelRules.ALL, ClockReadingFixture.class, "Instant.now()");
    }

    @Test
    void fileIoIsReported() {
        assertViolation(KernelRules.NO_IO_THREADS_OR_CLOCK_PACKAGES, FileOpeningFixture.class, "java.io.File");
        assertViolation(KernelRules.NO_IO_THREADS_OR_CLOCK_PACKAGES, FileOpeningFixture.class,
                "java.nio.file.Path");
    }

    @Test
    void threadsAndConcurrencyAreReported() {
        assertViolation(KernelRules.NO_FORBIDDEN_CLASSES, ThreadStartingFixture.class, "java.lang.Thread");
        assertViolation(KernelRules.NO_IO_THREADS_OR_CLOCK_PACKAGES, ConcurrencyFixture.class,
                "java.util.concurrent.ConcurrentHashMap");
        assertViolation(KernelRules.NO_FORBIDDEN_CLASSES, ConcurrencyFixture.class,
                "org.agrona.concurrent.SystemEpochClock");
    }

    @Test
    void unseededRandomnessIsReported() {
        assertViolation(KernelRules.NO_IO_THREADS_OR_CLOCK_PACKAGES, UnseededRandomFixture.class,
                "java.util.concurrent.ThreadLocalRandom");
        assertViolation(KernelRules.NO_CLOCK_OR_ENTROPY_CALLS, UnseededRandomFixture.class, "Random.<init>()");
        assertViolation(KernelRules.NO_CLOCK_OR_ENTROPY_CALLS, UnseededRandomFixture.class, "Math.random()");
    }

    @Test
    void foreignDependencyIsReported() {
        assertViolation(KernelRules.ONLY_AGRONA_AND_CORE_JDK, ForeignDependencyFixture.class,
                "org.junit.jupiter.api.Assertions");
    }

    @Test
    void otherNioClassesAreStillForeign() {
        assertViolation(KernelRules.ONLY_AGRONA_AND_CORE_JDK, FileOpeningFixture.class, "java.nio.file.Path");
    }

    @Test
    void forbiddenCallTableKeepsPureCallsLegal() {
        assertFalse(KernelRules.isForbiddenCall("java.lang.System", "arraycopy", 5));
        assertFalse(KernelRules.isForbiddenCall("java.util.Random", "<init>", 1));
        assertTrue(KernelRules.isForbiddenCall("java.util.Random", "<init>", 0));
        assertTrue(KernelRules.isForbiddenCall("java.lang.System", "identityHashCode", 1));
    }

    private static JavaClasses importOf(Class<?> fixture) {
        return new ClassFileImporter().importClasses(fixture);
    }

    private static void assertViolation(ArchRule rule, Class<?> fixture, String expectedFragment) {
        EvaluationResult result = rule.evaluate(importOf(fixture));
        assertTrue(result.hasViolation(), "rule did not catch " + fixture.getSimpleName());
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains(expectedFragment),
                "report for " + fixture.getSimpleName() + " does not mention " + expectedFragment + ":\n" + report);
    }
}
