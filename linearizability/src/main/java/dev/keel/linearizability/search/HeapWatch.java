package dev.keel.linearizability.search;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Sees the heap filling up before it is exhausted, so a search can answer unknown instead of dying of an
 * {@link OutOfMemoryError}. It watches the old generation's occupancy after the last collection: what survives a
 * collection is what the search really holds, unlike the current usage, which includes garbage.
 */
final class HeapWatch {
    /** The old generation this full after a collection means the next allocations will soon fail. */
    static final double FULL = 0.9;

    private static final MemoryPoolMXBean OLD_GENERATION = findOldGeneration();

    private HeapWatch() {
    }

    /** @return why the heap is too full to go on, or {@code null} while there is room (or no way to tell) */
    static String exhausted() {
        if (OLD_GENERATION == null) {
            return null;
        }
        MemoryUsage afterCollection = OLD_GENERATION.getCollectionUsage();
        long max = OLD_GENERATION.getUsage().getMax();
        if (afterCollection == null || max <= 0 || afterCollection.getUsed() <= FULL * max) {
            return null;
        }
        return "memory budget exhausted (the heap's old generation is " + afterCollection.getUsed() * 100 / max
                + "% full after garbage collection, of " + (max >> 20) + " MiB)";
    }

    /** The tenured pool of the parallel, G1 or serial collector; other collectors go unwatched. */
    private static MemoryPoolMXBean findOldGeneration() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && (name.contains("Old Gen") || name.contains("Tenured"))) {
                return pool;
            }
        }
        return null;
    }
}
