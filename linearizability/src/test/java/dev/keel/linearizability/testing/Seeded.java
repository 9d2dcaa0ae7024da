package dev.keel.linearizability.testing;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.history.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * The linearizability module's seeded property harness (the kernel has its own; this module may not depend on
 * it). A property runs for a number of tries; each try's seed comes from a SplitMix64 stream seeded by the
 * property's name, so the default build is reproducible. A failure names the seed and the command that replays
 * exactly that try; history properties are also shrunk (operations dropped while the property still fails) and
 * the smallest failing history is printed as Jepsen EDN.
 *
 * <p>{@code -Dkeel.seed=0x...} replays one seed, {@code -Dkeel.tries=N} changes the number of tries,
 * {@code -Dkeel.seedBase=N} moves every property to another part of the seed space.
 */
public final class Seeded {
    private Seeded() {
    }

    /** A property of one seed; throw to fail. */
    @FunctionalInterface
    public interface SeedProperty {
        void check(long seed) throws Exception;
    }

    /** A property of one history; throw an {@link AssertionError} to fail. */
    @FunctionalInterface
    public interface HistoryProperty {
        void check(History history);
    }

    /** Runs {@code property} on {@code defaultTries} seeds (or the overrides above). */
    public static void forAll(String name, int defaultTries, SeedProperty property) {
        for (long seed : seeds(name, defaultTries)) {
            try {
                property.check(seed);
            } catch (Throwable failure) {
                throw new AssertionError(describe(name, seed) + "\n  cause: " + failure, failure);
            }
        }
    }

    /**
     * Runs {@code property} on one generated history per seed; a failing history is shrunk before reporting.
     *
     * @param generate makes a history from a seed
     */
    public static void forAllHistories(String name, int defaultTries, LongFunction<History> generate,
            HistoryProperty property) {
        for (long seed : seeds(name, defaultTries)) {
            History history = generate.apply(seed);
            Throwable failure = failureOf(property, history);
            if (failure != null) {
                History smallest = shrink(history, property);
                Throwable smallestFailure = failureOf(property, smallest);
                throw new AssertionError(describe(name, seed) + "\n  cause: " + smallestFailure
                        + "\n  smallest failing history (" + smallest.size() + " of " + history.size()
                        + " operations):\n" + JepsenEdn.write(smallest), smallestFailure);
            }
        }
    }

    /** @return the seed as {@code -Dkeel.seed} takes it back */
    public static String hex(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    /** Drops one operation at a time while the property still fails, until no single drop keeps it failing. */
    static History shrink(History failing, HistoryProperty property) {
        History current = failing;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (int i = 0; i < current.size() && !smaller; i++) {
                List<Operation> ops = new ArrayList<>(current.operations());
                ops.remove(i);
                History candidate = History.of(ops);
                if (failureOf(property, candidate) != null) {
                    current = candidate;
                    smaller = true;
                }
            }
        }
        return current;
    }

    private static Throwable failureOf(HistoryProperty property, History history) {
        try {
            property.check(history);
            return null;
        } catch (AssertionError | RuntimeException failure) {
            return failure;
        }
    }

    private static long[] seeds(String name, int defaultTries) {
        String replay = System.getProperty("keel.seed");
        if (replay != null && !replay.isBlank()) {
            return new long[] {Long.parseUnsignedLong(replay.trim().replaceFirst("^0[xX]", ""), 16)};
        }
        long fnv = 0xcbf29ce484222325L; // FNV-1a of the name: stable across JVMs, unlike String.hashCode mixing
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
        }
        SplittableRandom stream = new SplittableRandom(fnv ^ Long.getLong("keel.seedBase", 0L));
        long[] seeds = new long[Integer.getInteger("keel.tries", defaultTries)];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = stream.nextLong();
        }
        return seeds;
    }

    private static String describe(String property, long seed) {
        StackWalker.StackFrame test = StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> f.getClassName().endsWith("Test")
                        || f.getClassName().endsWith("Properties")).findFirst().orElse(null));
        String target = test == null ? "" : " -Dtest=" + test.getClassName().replaceAll(".*\\.", "") + "#"
                + test.getMethodName().replaceAll("^lambda\\$(.*)\\$\\d+$", "$1");
        return "property '" + property + "' failed with seed " + hex(seed) + "\n  replay: mvn -B -pl linearizability"
                + " test" + target + " -Dsurefire.failIfNoSpecifiedTests=false -Dkeel.seed=" + hex(seed);
    }
}
