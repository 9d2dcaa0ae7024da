package dev.keel.replica.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.keel.kernel.arch.KernelRules;
import dev.keel.replica.arch.fixture.CleanReplicaFixture;
import dev.keel.replica.arch.fixture.InMemoryTransportFixture;
import dev.keel.replica.arch.fixture.TcpTransportFixture;
import dev.keel.replica.arch.fixture.WallClockFixture;
import dev.keel.replica.arch.fixture.FileChannelFixture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Applies the kernel's purity rules to every main class of the replica module, and proves with fixtures that
 * each rule still fires here: a replica that opened a file, read the wall clock or reached for a transport
 * implementation would break the simulator's determinism and the one-replica-two-hosts rule.
 */
class ReplicaArchitectureTest {
    private static final JavaClasses REPLICA_MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.keel.replica");

    @Test
    void replicaHasMainClassesToCheck() {
        assertTrue(REPLICA_MAIN.size() > 10, "too few replica classes were imported; the guard would check nothing");
    }

    @Test
    void replicaIsFreeOfIoThreadsClocksAndForeignDependencies() {
        KernelRules.ALL.check(REPLICA_MAIN);
    }

    @Test
    void cleanFixturePasses() {
        EvaluationResult result = KernelRules.ALL.evaluate(importOf(CleanReplicaFixture.class));
        assertFalse(result.hasViolation(), result.getFailureReport().toString());
    }

    @Test
    void fileChannelIsReported() {
        assertViolation(FileChannelFixture.class, "java.nio.channels.FileChannel");
    }

    @Test
    void wallClockIsReported() {
        assertViolation(WallClockFixture.class, "System.currentTimeMillis()");
    }

    @Test
    void transportImplementationIsReported() {
        assertViolation(InMemoryTransportFixture.class, "dev.keel.transport.InMemoryTransport");
    }

    @Test
    void tcpTransportIsReported() {
        assertViolation(TcpTransportFixture.class, "dev.keel.transport.tcp.TcpTransport");
    }

    private static JavaClasses importOf(Class<?> fixture) {
        return new ClassFileImporter().importClasses(fixture);
    }

    private static void assertViolation(Class<?> fixture, String expectedFragment) {
        EvaluationResult result = KernelRules.ALL.evaluate(importOf(fixture));
        assertTrue(result.hasViolation(), "rules did not catch " + fixture.getSimpleName());
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains(expectedFragment),
                "report for " + fixture.getSimpleName() + " does not mention " + expectedFragment + ":\n" + report);
    }
}
