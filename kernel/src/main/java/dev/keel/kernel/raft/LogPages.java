package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The bytes of the in-memory log's entries, back to back in pages of at most 4 MiB (a small log's first pages are
 * smaller and double up to that size; an entry larger than a page gets a page of its own). The log grows by one page and never copies what it holds, so its capacity exceeds its data
 * by less than a page plus each page's unused tail, and compaction returns whole pages. Up to 16 released pages
 * (64 MiB) are kept for reuse, so a log that is appended and compacted in a cycle allocates nothing once warm.
 *
 * <p>An address is {@code pageNumber << 32 | offset}; page numbers only increase, so addresses keep their order.
 */
final class LogPages {
    static final int PAGE_SIZE = 4 << 20;
    private static final int MIN_PAGE_SIZE = 64 << 10;
    /** Released pages kept for reuse: a log cycling within 64 MiB between compactions allocates nothing. */
    private static final int POOLED_PAGES = 16;
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    /** Pages from {@link #firstPage} on; {@code pages[0]} is page number {@code firstPage}. */
    private MutableDirectBuffer[] pages = new MutableDirectBuffer[8];
    private int pageCount;
    private long firstPage;
    /** Bytes used in the last page. */
    private int fill;
    private final MutableDirectBuffer[] pool = new MutableDirectBuffer[POOLED_PAGES];
    private int pooled;
    /** The most bytes of pages held at once: a log that was large once keeps using full-size pages. */
    private long highWater;

    /** Copies {@code length} bytes in after the last ones; returns their address. */
    long append(DirectBuffer src, int offset, int length) {
        if (pageCount == 0 || fill + length > pages[pageCount - 1].capacity()) {
            addPage(length);
        }
        long address = ((firstPage + pageCount - 1) << 32) | fill;
        pages[pageCount - 1].putBytes(fill, src, offset, length);
        fill += length;
        return address;
    }

    /** @return the page holding the bytes at {@code address}; index it with {@link #offset} */
    DirectBuffer buffer(long address) {
        int page = (int) ((address >>> 32) - firstPage);
        return page < pageCount ? pages[page] : EMPTY;
    }

    static int offset(long address) {
        return (int) address;
    }

    /** Drops everything from {@code address} on (a truncation of the log's tail). */
    void truncateFrom(long address) {
        int page = (int) ((address >>> 32) - firstPage);
        while (pageCount > page + 1) {
            release(--pageCount);
        }
        fill = pageCount == 0 ? 0 : offset(address);
    }

    /** Releases the pages wholly before {@code address} (a compaction of the log's head). */
    void releaseBefore(long address) {
        int drop = (int) Math.min(pageCount, (address >>> 32) - firstPage);
        if (drop <= 0) {
            return;
        }
        for (int i = 0; i < drop; i++) {
            release(i);
        }
        System.arraycopy(pages, drop, pages, 0, pageCount - drop);
        Arrays.fill(pages, pageCount - drop, pageCount, null);
        pageCount -= drop;
        firstPage += drop;
        if (pageCount == 0) {
            fill = 0;
        }
    }

    /** Releases every page. */
    void clear() {
        releaseBefore((firstPage + pageCount) << 32);
    }

    /** @return the address the next appended byte would get if it fits the last page */
    long end() {
        return pageCount == 0 ? firstPage << 32 : ((firstPage + pageCount - 1) << 32) | fill;
    }

    /** @return bytes of all pages held (not counting the reuse pool) */
    long capacityBytes() {
        long total = 0;
        for (int i = 0; i < pageCount; i++) {
            total += pages[i].capacity();
        }
        return total;
    }

    private void addPage(int length) {
        if (pageCount == pages.length) {
            pages = Arrays.copyOf(pages, pageCount * 2); // the page table only: a pointer per page
        }
        // a small log starts with small pages (tests, simulated clusters); pages double up to PAGE_SIZE
        int size = Math.max(length, (int) Math.min(PAGE_SIZE, Math.max(MIN_PAGE_SIZE, highWater)));
        MutableDirectBuffer page = null;
        while (page == null && pooled > 0) {
            MutableDirectBuffer candidate = pool[--pooled];
            pool[pooled] = null;
            page = candidate.capacity() >= size ? candidate : null; // a smaller one from the log's start is dropped
        }
        pages[pageCount++] = page != null ? page : new UnsafeBuffer(new byte[size]);
        fill = 0;
        highWater = Math.max(highWater, capacityBytes());
    }

    private void release(int index) {
        MutableDirectBuffer page = pages[index];
        pages[index] = null;
        if (page.capacity() <= PAGE_SIZE && pooled < POOLED_PAGES) {
            pool[pooled++] = page;
        }
    }
}
