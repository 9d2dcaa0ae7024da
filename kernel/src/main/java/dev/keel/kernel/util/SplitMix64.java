package dev.keel.kernel.util;

/**
 * A small, fast, seeded PRNG (Steele, Lea and Flood's SplitMix64). The kernel never draws entropy of its own:
 * the host hands it a seed, so the same seed replays the same election timeouts on every machine.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    /** @param seed any value; equal seeds give equal sequences */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** @return the next 64 pseudo-random bits */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param bound exclusive upper bound, positive
     * @return a value in {@code [0, bound)} without modulo bias worth caring about for bounds below 2^32
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** @return a derived, independent stream; used to split one run seed into per-component streams */
    public SplitMix64 split() {
        return new SplitMix64(nextLong());
    }
}
