package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;
import org.agrona.DirectBuffer;
import dev.keel.kernel.util.SizedBuffers;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * A {@link LogStorage} in memory. Entry data lives back to back in {@link LogPages} (fixed pages, grown and
 * released a page at a time, never copied) and the per-entry metadata (term, type, address, length) in parallel
 * primitive arrays, so appending allocates nothing once the arrays and pages have grown to the working-set size.
 * Compaction advances a start slot and returns the pages it emptied.
 */
public final class InMemoryLogStorage implements LogStorage {
    private static final int INITIAL_SLOTS = 1024;

    private long baseIndex;
    private long baseTerm;
    private long lastIndex;

    private long[] terms = new long[INITIAL_SLOTS];
    /** Where each entry's bytes are in {@link #data} (a {@link LogPages} address). */
    private long[] addresses = new long[INITIAL_SLOTS];
    private int[] lengths = new int[INITIAL_SLOTS];
    private byte[] types = new byte[INITIAL_SLOTS];
    /** Slot of entry {@code baseIndex + 1}. */
    private int slotStart;

    private final LogPages data = new LogPages();

    private long snapshotIndex;
    private long snapshotTerm;
    private final ConfState snapshotConf = new ConfState();
    /** Sized from each kept snapshot's length (growth while copying would hold the old and new bytes). */
    private ExpandableArrayBuffer snapshotData = new ExpandableArrayBuffer(64);
    private int snapshotLength;

    /** @param initialConf the configuration a new cluster starts with (empty for a node joining later) */
    public InMemoryLogStorage(ConfState initialConf) {
        snapshotConf.copyFrom(initialConf);
    }

    @Override
    public long baseIndex() {
        return baseIndex;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public long term(long index) {
        if (index == baseIndex) {
            return baseTerm;
        }
        if (index < baseIndex || index > lastIndex) {
            return TERM_UNAVAILABLE;
        }
        return terms[slot(index)];
    }

    @Override
    public EntryView entry(long index, EntryView view) {
        if (index <= baseIndex || index > lastIndex) {
            throw new IndexOutOfBoundsException("entry " + index + " not in (" + baseIndex + ", " + lastIndex + "]");
        }
        int s = slot(index);
        long address = addresses[s];
        return view.set(index, terms[s], types[s], data.buffer(address), LogPages.offset(address), lengths[s]);
    }

    @Override
    public void append(long term, byte type, DirectBuffer src, int offset, int length) {
        InvariantViolation.check(term >= term(lastIndex), "appended term below the last entry's", term,
                term(lastIndex));
        ensureSlot();
        int s = slot(lastIndex + 1);
        addresses[s] = data.append(src, offset, length);
        terms[s] = term;
        types[s] = type;
        lengths[s] = length;
        lastIndex++;
    }

    @Override
    public void truncateAfter(long index) {
        if (index >= lastIndex) {
            return;
        }
        InvariantViolation.check(index >= baseIndex, "truncation below the compacted base", index, baseIndex);
        if (index == baseIndex) {
            data.truncateFrom(addresses[slot(index + 1)]);
        } else {
            int s = slot(index);
            data.truncateFrom(addresses[s] + lengths[s]);
        }
        lastIndex = index;
    }

    @Override
    public void compact(long index) {
        if (index <= baseIndex) {
            return;
        }
        InvariantViolation.check(index <= snapshotIndex, "compaction past the latest snapshot", index,
                snapshotIndex);
        InvariantViolation.check(index <= lastIndex, "compaction past the last entry", index, lastIndex);
        long newBaseTerm = term(index);
        if (index == lastIndex) {
            data.clear();
        } else {
            data.releaseBefore(addresses[slot(index + 1)]);
        }
        slotStart += (int) (index - baseIndex);
        baseIndex = index;
        baseTerm = newBaseTerm;
        if (index == lastIndex) {
            slotStart = 0;
        }
    }

    @Override
    public void saveSnapshot(long index, long term, ConfState conf, DirectBuffer src, int offset, int length) {
        InvariantViolation.check(index >= snapshotIndex, "snapshot older than the one kept", index, snapshotIndex);
        InvariantViolation.check(index <= lastIndex, "snapshot past the last entry", index, lastIndex);
        InvariantViolation.check(term(index) == term || term(index) == TERM_UNAVAILABLE,
                "snapshot term differs from the log's term at its index", term, term(index));
        keepSnapshot(index, term, conf, src, offset, length);
    }

    @Override
    public void installSnapshot(long index, long term, ConfState conf, DirectBuffer src, int offset, int length) {
        keepSnapshot(index, term, conf, src, offset, length);
        baseIndex = index;
        baseTerm = term;
        lastIndex = index;
        slotStart = 0;
        data.clear();
    }

    @Override
    public long snapshotIndex() {
        return snapshotIndex;
    }

    @Override
    public long snapshotTerm() {
        return snapshotTerm;
    }

    @Override
    public ConfState snapshotConf() {
        return snapshotConf;
    }

    @Override
    public DirectBuffer snapshotData() {
        return snapshotData;
    }

    @Override
    public int snapshotLength() {
        return snapshotLength;
    }

    private void keepSnapshot(long index, long term, ConfState conf, DirectBuffer src, int offset, int length) {
        snapshotIndex = index;
        snapshotTerm = term;
        if (conf != snapshotConf) {
            snapshotConf.copyFrom(conf);
        }
        if (src != snapshotData) {
            if (!SizedBuffers.fits(snapshotData, length)) {
                snapshotData = null; // the old snapshot is garbage before the new buffer is allocated
                snapshotData = SizedBuffers.allocate(length);
            }
            snapshotData.putBytes(0, src, offset, length);
        }
        snapshotLength = length;
    }

    /** @return bytes of the pages holding entry data (the live entries, page tails and the last page's rest) */
    public long dataCapacityBytes() {
        return data.capacityBytes();
    }

    private int slot(long index) {
        return slotStart + (int) (index - baseIndex - 1);
    }

    /** Makes room for one more slot: shift the live window down, or grow when it is over half full. */
    private void ensureSlot() {
        int count = (int) (lastIndex - baseIndex);
        if (slotStart + count < terms.length) {
            return;
        }
        if (count + 1 > terms.length / 2) {
            int capacity = terms.length * 2;
            terms = Arrays.copyOf(terms, capacity);
            addresses = Arrays.copyOf(addresses, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            types = Arrays.copyOf(types, capacity);
        }
        System.arraycopy(terms, slotStart, terms, 0, count);
        System.arraycopy(addresses, slotStart, addresses, 0, count);
        System.arraycopy(lengths, slotStart, lengths, 0, count);
        System.arraycopy(types, slotStart, types, 0, count);
        slotStart = 0;
    }
}
