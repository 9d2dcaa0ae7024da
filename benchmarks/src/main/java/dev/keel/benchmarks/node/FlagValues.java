package dev.keel.benchmarks.node;

import java.nio.file.Path;

/** Flag values of the comparison commands ({@code bin/keel-node-bench}, {@code bin/keel-compare}), checked. */
public final class FlagValues {
    private FlagValues() {
    }

    /** @throws IllegalArgumentException unless {@code value} is a whole number in {@code min..max}, saying so */
    public static long number(String flag, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be " + min + ".." + max + ": " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number: '" + value + "'");
        }
    }

    /** @return {@code value} as an absolute, normalized path */
    public static Path path(String value) {
        return Path.of(value).toAbsolutePath().normalize();
    }
}
