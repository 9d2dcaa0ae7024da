package dev.keel.harness.workload.support;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Picks a member's client endpoint at random from the run's current members. */
public final class Endpoints {
    private Endpoints() {
    }

    /**
     * @param endpoints the current endpoints, asked afresh each time (members come and go)
     * @param random    the calling thread's PRNG
     * @return one endpoint, {@code host:port}
     * @throws IllegalStateException if the cluster has no endpoint at all
     */
    public static String pick(Supplier<List<String>> endpoints, SplittableRandom random) {
        List<String> all = endpoints.get();
        if (all.isEmpty()) {
            throw new IllegalStateException("the cluster lists no client endpoint");
        }
        return all.get(random.nextInt(all.size()));
    }
}
