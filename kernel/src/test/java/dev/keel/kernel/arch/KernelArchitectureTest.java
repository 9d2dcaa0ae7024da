package dev.keel.kernel.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Applies {@link KernelRules} to every main class of the kernel module. */
class KernelArchitectureTest {
    private static final JavaClasses KERNEL_MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.keel.kernel");

    @Test
    void kernelHasMainClassesToCheck() {
        assertTrue(KERNEL_MAIN.size() > 0, "no kernel classes were imported; the guard would check nothing");
    }

    @Test
    void kernelIsFreeOfIoThreadsClocksAndForeignDependencies() {
        KernelRules.ALL.check(KERNEL_MAIN);
    }
}
