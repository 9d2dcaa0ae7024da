package dev.keel.simulator;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.InMemoryLogStorage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a node's write-ahead log back after a crash: the last hard state, the last snapshot, and the entries
 * after it (a later record for an index replaces the earlier one and everything after it, as the leader's
 * overwrite did). A torn tail is cut; corruption anywhere is refused with the offset named.
 */
final class Recovery {
    long term;
    long vote;
    long commit;
    long snapshotIndex;
    long snapshotTerm;
    final ConfState snapshotConf = new ConfState();
    byte[] snapshotData = new byte[0];
    final List<long[]> entryMeta = new ArrayList<>(); // {index, term, type}
    final List<byte[]> entryData = new ArrayList<>();
    /** Where a torn tail begins (the file should be cut there), or -1. */
    int tornAt = -1;
    /** Why the log cannot be trusted, or null. */
    String corruption;

    static Recovery read(DirectBuffer wal, int length) {
        Recovery r = new Recovery();
        int at = 0;
        while (at < length && r.corruption == null) {
            if (length - at < Wal.HEADER) {
                r.tornAt = at;
                break;
            }
            int size = wal.getInt(at, Wal.ORDER);
            int crc = wal.getInt(at + 4, Wal.ORDER);
            if (wal.getInt(at + 8, Wal.ORDER) != Wal.headerCrc(size, crc) || size < 1) {
                r.corruption = "record header checksum mismatch at offset " + at;
                break;
            }
            if (size > length - at - Wal.HEADER) {
                r.tornAt = at;
                break;
            }
            if (Wal.crc(wal, at + Wal.HEADER, size) != crc) {
                r.corruption = "record checksum mismatch at offset " + at;
                break;
            }
            r.apply(new UnsafeBuffer(wal, at + Wal.HEADER, size), at);
            at += Wal.HEADER + size;
        }
        return r;
    }

    private void apply(DirectBuffer p, int offset) {
        switch (p.getByte(0)) {
            case Wal.HARD_STATE:
                term = p.getLong(1, Wal.ORDER);
                vote = p.getLong(9, Wal.ORDER);
                commit = p.getLong(17, Wal.ORDER);
                break;
            case Wal.ENTRY: {
                long index = p.getLong(1, Wal.ORDER);
                while (!entryMeta.isEmpty() && entryMeta.get(entryMeta.size() - 1)[0] >= index) {
                    entryMeta.remove(entryMeta.size() - 1);
                    entryData.remove(entryData.size() - 1);
                }
                byte[] data = new byte[p.getInt(18, Wal.ORDER)];
                p.getBytes(22, data);
                entryMeta.add(new long[]{index, p.getLong(9, Wal.ORDER), p.getByte(17)});
                entryData.add(data);
                break;
            }
            case Wal.SNAPSHOT: {
                snapshotIndex = p.getLong(1, Wal.ORDER);
                snapshotTerm = p.getLong(9, Wal.ORDER);
                int confLength = snapshotConf.decode(p, 17, p.capacity());
                if (confLength < 0) {
                    corruption = "unreadable snapshot configuration at offset " + offset;
                    return;
                }
                snapshotData = new byte[p.getInt(17 + confLength, Wal.ORDER)];
                p.getBytes(21 + confLength, snapshotData);
                entryMeta.clear();
                entryData.clear();
                break;
            }
            default:
                corruption = "unknown record type " + p.getByte(0) + " at offset " + offset;
        }
    }

    /** @return the log as the kernel will see it; sets {@link #corruption} if the entries do not line up */
    InMemoryLogStorage storage() {
        InMemoryLogStorage storage = new InMemoryLogStorage(snapshotConf);
        if (snapshotIndex > 0) {
            storage.installSnapshot(snapshotIndex, snapshotTerm, snapshotConf, new UnsafeBuffer(snapshotData), 0,
                    snapshotData.length);
        }
        for (int i = 0; i < entryMeta.size(); i++) {
            long[] meta = entryMeta.get(i);
            if (meta[0] <= storage.lastIndex()) {
                continue;
            }
            if (meta[0] != storage.lastIndex() + 1) {
                corruption = "entry " + meta[0] + " follows " + storage.lastIndex();
                return storage;
            }
            byte[] data = entryData.get(i);
            storage.append(meta[1], (byte) meta[2], new UnsafeBuffer(data), 0, data.length);
        }
        if (commit > storage.lastIndex()) {
            corruption = "hard state commits " + commit + " beyond the last entry " + storage.lastIndex();
        }
        return storage;
    }
}
