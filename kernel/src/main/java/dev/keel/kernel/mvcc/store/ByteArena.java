package dev.keel.kernel.mvcc.store;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Byte storage for keys and values without one Java object per value: power-of-two slots carved from
 * 1 MiB pages, with a free list per slot size so that compaction's frees are reused by later puts. A slot of
 * more than half a page gets a page of its own, dropped when freed.
 *
 * <p>An address is {@code pageIndex << 32 | offset}; {@link #EMPTY} stands for a zero-length slice.
 */
public final class ByteArena {
    /** The address of every zero-length slice; nothing is allocated for it. */
    public static final long EMPTY = -1L;

    private static final int PAGE_SHIFT = 20;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int MIN_CLASS = 4;
    private static final int MAX_SMALL_CLASS = PAGE_SHIFT - 1;

    private MutableDirectBuffer[] pages = new MutableDirectBuffer[8];
    private int pageCount;
    private int bumpPage = -1;
    private int bumpOffset = PAGE_SIZE;
    private final LongArrayList[] freeSlots = new LongArrayList[MAX_SMALL_CLASS + 1];
    private final IntArrayList freeLargePages = new IntArrayList();
    private long reservedBytes;
    private long capacityBytes;

    /**
     * @param length bytes wanted, {@code >= 0}
     * @return the address of a slot of at least {@code length} bytes
     */
    public long allocate(int length) {
        if (length == 0) {
            return EMPTY;
        }
        int sizeClass = sizeClass(length);
        if (sizeClass > MAX_SMALL_CLASS) {
            return allocateLarge(length);
        }
        reservedBytes += 1L << sizeClass;
        LongArrayList free = freeSlots[sizeClass];
        if (free != null && !free.isEmpty()) {
            return free.removeAt(free.size() - 1);
        }
        int slot = 1 << sizeClass;
        if (bumpOffset + slot > PAGE_SIZE) {
            bumpPage = addPage(PAGE_SIZE);
            bumpOffset = 0;
        }
        long address = ((long) bumpPage << 32) | bumpOffset;
        bumpOffset += slot;
        return address;
    }

    /** Returns a slot obtained from {@link #allocate} with the same {@code length}. */
    public void free(long address, int length) {
        if (address == EMPTY) {
            return;
        }
        int sizeClass = sizeClass(length);
        if (sizeClass > MAX_SMALL_CLASS) {
            int page = (int) (address >>> 32);
            reservedBytes -= pages[page].capacity();
            capacityBytes -= pages[page].capacity();
            pages[page] = null;
            freeLargePages.addInt(page);
            return;
        }
        reservedBytes -= 1L << sizeClass;
        LongArrayList free = freeSlots[sizeClass];
        if (free == null) {
            free = new LongArrayList();
            freeSlots[sizeClass] = free;
        }
        free.addLong(address);
    }

    /** @return the page buffer holding {@code address}; index into it with {@link #offset(long)} */
    public MutableDirectBuffer page(long address) {
        return pages[(int) (address >>> 32)];
    }

    /** @return the offset of {@code address} within its page */
    public static int offset(long address) {
        return (int) address;
    }

    /** @return bytes held by live slots (rounded up to their slot sizes) */
    public long reservedBytes() {
        return reservedBytes;
    }

    /**
     * @return bytes of all pages held: what is reserved, plus freed slots kept for reuse and the uncarved rest
     *         of the current page (less than one page)
     */
    public long capacityBytes() {
        return capacityBytes;
    }

    private long allocateLarge(int length) {
        reservedBytes += length;
        int page;
        if (!freeLargePages.isEmpty()) {
            page = freeLargePages.removeAt(freeLargePages.size() - 1);
            pages[page] = new UnsafeBuffer(new byte[length]);
            capacityBytes += length;
        } else {
            page = addPage(length);
        }
        return (long) page << 32;
    }

    private int addPage(int size) {
        if (pageCount == pages.length) {
            MutableDirectBuffer[] grown = new MutableDirectBuffer[pageCount * 2];
            System.arraycopy(pages, 0, grown, 0, pageCount);
            pages = grown;
        }
        pages[pageCount] = new UnsafeBuffer(new byte[size]);
        capacityBytes += size;
        return pageCount++;
    }

    private static int sizeClass(int length) {
        int sizeClass = 32 - Integer.numberOfLeadingZeros(length - 1);
        return Math.max(sizeClass, MIN_CLASS);
    }
}
