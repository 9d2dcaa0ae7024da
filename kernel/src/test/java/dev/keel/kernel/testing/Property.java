package dev.keel.kernel.testing;

import dev.keel.kernel.util.SplitMix64;

/**
 * A seeded property harness: runs a property for a fixed number of tries, each try driven by one 64-bit seed
 * derived deterministically from the property's name, and reports the failing seed with the command that
 * replays it.
 *
 * <p>System properties: {@code keel.seed} replays one seed; {@code keel.tries} overrides the number of tries;
 * {@code keel.seedBase} shifts every property to another part of the seed space.
 */
public final class Property {
    private Property() {
    }

    /** One try of a property. Throw (an assertion error or anything else) to fail it. */
    @FunctionalInterface
    public interface SeededCase {
        void run(long seed) throws Exception;
    }

    /**
     * Runs {@code body} for {@code defaultTries} seeds (or the overrides described above).
     *
     * @param name         a stable name; it determines the seeds, so renaming reshuffles them
     * @param defaultTries tries in the default build; keep the module's run to a few minutes
     * @param body         the property
     */
    public static void forAll(String name, int defaultTries, SeededCase body) {
        String replay = replayHint();
        String fixed = System.getProperty("keel.seed");
        if (fixed != null && !fixed.isBlank()) {
            long seed = Long.parseUnsignedLong(fixed.trim().replaceFirst("^0x", ""), 16);
            runOne(name, 0, seed, body, replay);
            return;
        }
        int tries = Integer.getInteger("keel.tries", defaultTries);
        long base = Long.getLong("keel.seedBase", 0L);
        SplitMix64 seeds = new SplitMix64(name.hashCode() * 0x9E3779B97F4A7C15L ^ base);
        for (int i = 0; i < tries; i++) {
            runOne(name, i, seeds.nextLong(), body, replay);
        }
    }

    /** @return the seed printed as the harness expects it back in {@code -Dkeel.seed} */
    public static String format(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    private static void runOne(String name, int attempt, long seed, SeededCase body, String replay) {
        try {
            body.run(seed);
        } catch (Throwable failure) {
            AssertionError error = new AssertionError("property '" + name + "' failed on try " + attempt
                    + " with seed " + format(seed) + "\n  replay: " + replay + " -Dkeel.seed=" + format(seed)
                    + "\n  cause: " + failure, failure);
            throw error;
        }
    }

    private static String replayHint() {
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Property.class.getName())
                        && !f.getClassName().startsWith("org.junit.")
                        && !f.getMethodName().startsWith("lambda$"))
                .findFirst().orElse(null));
        if (caller == null) {
            return "mvn test";
        }
        String cls = caller.getClassName();
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return "mvn -B -pl " + moduleOf(cls) + " test -Dtest=" + simple + "#" + caller.getMethodName()
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    private static String moduleOf(String className) {
        String[] parts = className.split("\\.");
        return parts.length > 2 && parts[0].equals("dev") && parts[1].equals("keel") ? parts[2] : ".";
    }
}
