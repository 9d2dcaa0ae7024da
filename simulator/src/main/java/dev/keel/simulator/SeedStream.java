package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * The seeds a {@code --seeds N --first-seed F} run visits, drawn one at a time so that a run of hundreds of
 * millions of seeds holds none of them in memory. The values are those of {@link SimulatorCli#seedSequence}.
 */
final class SeedStream implements PrimitiveIterator.OfLong {
    private final SplitMix64 random;
    private final long count;
    /** The only seed of a replay, or null for a derived sequence. */
    private final Long only;
    private long drawn;

    /** The {@code count} seeds derived from {@code first}. */
    SeedStream(long first, long count) {
        this(new SplitMix64(first), count, null);
    }

    private SeedStream(SplitMix64 random, long count, Long only) {
        if (count < 0) {
            throw new IllegalArgumentException("a seed count cannot be negative: " + count);
        }
        this.random = random;
        this.count = count;
        this.only = only;
    }

    /** Exactly one seed: a replay. */
    static SeedStream of(long seed) {
        return new SeedStream(null, 1, seed);
    }

    /** @return how many seeds the stream gives in all */
    long count() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return drawn < count;
    }

    @Override
    public long nextLong() {
        if (drawn >= count) {
            throw new NoSuchElementException("all " + count + " seeds were drawn");
        }
        drawn++;
        return only != null ? only : random.nextLong();
    }
}
