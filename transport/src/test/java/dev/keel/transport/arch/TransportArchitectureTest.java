package dev.keel.transport.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.keel.kernel.arch.KernelRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport module holds deterministic code (the interface and the in-memory transport the simulator runs
 * on) next to host code (the TCP transport, with sockets and a thread). The deterministic side must stay free
 * of I/O, threads and clocks, and must not reach into the TCP package; the replica's own guard (in the replica
 * module) makes sure the replica names nothing of this module but the interface.
 */
class TransportArchitectureTest {
    private static final JavaClasses DETERMINISTIC_SIDE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.keel.transport")
            .that(com.tngtech.archunit.base.DescribedPredicate.describe("are outside dev.keel.transport.tcp",
                    c -> !c.getPackageName().startsWith("dev.keel.transport.tcp")));

    @Test
    void thereIsSomethingToCheck() {
        assertTrue(DETERMINISTIC_SIDE.size() >= 4, "the guard would check nothing");
    }

    @Test
    void inMemorySideDoesNoIoThreadsOrClocks() {
        KernelRules.NO_IO_THREADS_OR_CLOCK_PACKAGES.check(DETERMINISTIC_SIDE);
        KernelRules.NO_FORBIDDEN_CLASSES.check(DETERMINISTIC_SIDE);
        KernelRules.NO_CLOCK_OR_ENTROPY_CALLS.check(DETERMINISTIC_SIDE);
    }

    @Test
    void inMemorySideDoesNotDependOnTcp() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.keel.transport.tcp..")
                .because("the simulator runs on the in-memory transport; TCP is the node's")
                .check(DETERMINISTIC_SIDE);
    }
}
