package dev.keel.kernel.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The purity rules of the deterministic core — the kernel and the replica: no I/O, no threads, no clocks, no
 * unseeded randomness, and no dependency other than Agrona, the JDK's {@code java.lang}/{@code java.util}, and
 * Keel's own deterministic modules (the kernel, the replica, and the transport <em>interface</em>). The
 * simulator's determinism depends on them. The replica module applies the same rules to its classes.
 */
public final class KernelRules {
    private KernelRules() {
    }

    /** Packages the kernel may use at all; narrower bans below carve out the dangerous parts. */
    public static final ArchRule ONLY_AGRONA_AND_CORE_JDK = classes()
            .should().onlyDependOnClassesThat(allowedDependency())
            .because("the kernel depends on Agrona and java.lang/java.util only");

    public static final ArchRule NO_IO_THREADS_OR_CLOCK_PACKAGES = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "java.io..", "java.nio.channels..", "java.nio.file..", "java.net..",
                    "java.util.concurrent..", "java.time..", "java.util.logging..", "java.lang.management..",
                    "org.agrona.nio..", "org.agrona.concurrent.ringbuffer..", "org.agrona.concurrent.broadcast..",
                    "org.agrona.concurrent.status..", "org.agrona.concurrent.errors..")
            .because("the kernel does no I/O, owns no thread and reads no clock");

    public static final ArchRule NO_FORBIDDEN_CLASSES = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ThreadLocal")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Runtime")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Timer")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Date")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Calendar")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.agrona.IoUtil")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.agrona.SystemUtil")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.agrona.MarkFile")
            .orShould().dependOnClassesThat(agronaConcurrencyOtherThanBuffers())
            .because("threads, processes, wall-clock dates and files are the host's business");

    public static final ArchRule NO_CLOCK_OR_ENTROPY_CALLS = noClasses()
            .should().callCodeUnitWhere(forbiddenCall())
            .because("time and randomness reach the kernel only as inputs (ticks, a seeded PRNG)");

    /** Every rule, as one. */
    public static final ArchRule ALL = CompositeArchRule.of(ONLY_AGRONA_AND_CORE_JDK)
            .and(NO_IO_THREADS_OR_CLOCK_PACKAGES)
            .and(NO_FORBIDDEN_CLASSES)
            .and(NO_CLOCK_OR_ENTROPY_CALLS);

    private static DescribedPredicate<JavaClass> allowedDependency() {
        return DescribedPredicate.describe("are in java.lang, java.util, org.agrona, dev.keel.kernel or "
                        + "dev.keel.replica (or are java.nio.ByteOrder or the transport interface)",
                c -> {
                    JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
                    if (base.isPrimitive() || base.getName().equals(BYTE_ORDER)) {
                        return true;
                    }
                    String pkg = base.getPackageName();
                    return pkg.equals("java.lang") || pkg.startsWith("java.lang.")
                            || pkg.equals("java.util") || pkg.startsWith("java.util.")
                            || pkg.equals("org.agrona") || pkg.startsWith("org.agrona.")
                            || pkg.equals("dev.keel.kernel") || pkg.startsWith("dev.keel.kernel.")
                            || pkg.equals("dev.keel.replica") || pkg.startsWith("dev.keel.replica.")
                            || TRANSPORT_INTERFACE.contains(base.getName());
                });
    }

    private static final String CONSTRUCTOR = "<init>";
    /** The replica sends through the transport's interface; implementations (sockets, threads) are the host's. */
    private static final Set<String> TRANSPORT_INTERFACE = Set.of(
            "dev.keel.transport.Transport", "dev.keel.transport.MessageHandler");
    /** The one class outside java.lang/java.util the kernel may name: it pins the wire format's byte order. */
    private static final String BYTE_ORDER = "java.nio.ByteOrder";

    private static final Set<String> ALLOWED_AGRONA_CONCURRENT = Set.of(
            "org.agrona.concurrent.UnsafeBuffer", "org.agrona.concurrent.AtomicBuffer");

    private static DescribedPredicate<JavaClass> agronaConcurrencyOtherThanBuffers() {
        return DescribedPredicate.describe("are Agrona concurrency classes other than UnsafeBuffer/AtomicBuffer",
                c -> c.getPackageName().equals("org.agrona.concurrent")
                        && !ALLOWED_AGRONA_CONCURRENT.contains(c.getName()));
    }

    private static DescribedPredicate<JavaCall<?>> forbiddenCall() {
        return DescribedPredicate.describe(
                "read a clock or the environment, or draw unseeded randomness",
                call -> isForbiddenCall(call.getTargetOwner().getName(), call.getName(),
                        call.getTarget().getRawParameterTypes().size()));
    }

    public static boolean isForbiddenCall(String owner, String name, int parameterCount) {
        switch (owner) {
            case "java.lang.System":
                // arraycopy is pure; everything else reads time, environment, identity hashes or streams.
                return !name.equals("arraycopy");
            case "java.lang.Math":
            case "java.lang.StrictMath":
                return name.equals("random");
            case "java.util.UUID":
                return name.equals("randomUUID");
            case "java.util.Random":
                return name.equals(CONSTRUCTOR) && parameterCount == 0;
            case "java.util.SplittableRandom":
                return name.equals(CONSTRUCTOR) && parameterCount == 0;
            case "java.time.Instant":
            case "java.time.LocalDateTime":
            case "java.time.ZonedDateTime":
            case "java.time.Clock":
                return name.equals("now") || name.startsWith("system");
            case "java.lang.Object":
                return name.equals("wait") || name.equals("notify") || name.equals("notifyAll");
            default:
                return false;
        }
    }
}
