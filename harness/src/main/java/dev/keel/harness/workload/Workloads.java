package dev.keel.harness.workload;

import java.util.List;
import java.util.function.Supplier;

/** The workloads a run may choose, by the names {@code --workloads} takes. */
public final class Workloads {
    /** Every workload's name, in the order runs list them. */
    public static final List<String> NAMES = List.of("register", "set", "watch", "lease", "lock");

    private Workloads() {
    }

    /** @return a new workload called {@code name} */
    public static Workload byName(String name) {
        Supplier<Workload> factory = switch (name) {
            case "register" -> RegisterWorkload::new;
            case "set" -> SetWorkload::new;
            case "watch" -> WatchWorkload::new;
            case "lease" -> LeaseWorkload::new;
            case "lock" -> LockWorkload::new;
            default -> throw new IllegalArgumentException("unknown workload '" + name + "'; choose from " + NAMES);
        };
        return factory.get();
    }
}
