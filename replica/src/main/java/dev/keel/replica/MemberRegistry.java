package dev.keel.replica;

import dev.keel.kernel.raft.ConfChange;
import dev.keel.kernel.raft.EntryView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every member's metadata (the host's bytes: its peer URLs) for the cluster's whole life: replicated state, as
 * the configuration is. It is the fold of the applied configuration changes' contexts — a founder's from its
 * bootstrap entry, an added member's from its add, an updated one's from the update; a removal forgets the
 * member — and travels in snapshots ahead of the store, so a member restarted after the changes were folded
 * into a snapshot, or one that caught up by the leader's snapshot, knows it too. A change without a context
 * (an add or a founder written before contexts existed, a promotion) leaves what is known untouched.
 *
 * <p>Snapshot section, little-endian: {@code magic u32 "KMEM" | count i32 | (id i64 | length i32 | bytes)*}
 * in ascending ID order, so equal registries encode to equal bytes. An MVCC snapshot never starts with this
 * magic, so a snapshot without the section (written before it existed) is still read.
 */
public final class MemberRegistry {
    static final int MAGIC = 0x4D454D4B; // "KMEM" little-endian
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Metadata above this is refused when read back: it is a few URLs. */
    private static final int MAX_METADATA_BYTES = 64 * 1024;

    private final TreeMap<Long, byte[]> byId = new TreeMap<>();
    private final ConfChange change = new ConfChange();
    private long version;

    /** @return a number that grows whenever the registry changes (hosts poll it to follow changes) */
    public long version() {
        return version;
    }

    /** @return the metadata of {@code memberId} (a copy), or null when none is known */
    public byte[] metadata(long memberId) {
        byte[] m = byId.get(memberId);
        return m == null ? null : m.clone();
    }

    /** @return a copy of every member's metadata, by ID ascending */
    public Map<Long, byte[]> all() {
        TreeMap<Long, byte[]> copy = new TreeMap<>();
        byId.forEach((id, m) -> copy.put(id, m.clone()));
        return copy;
    }

    /** @return how many members have metadata */
    public int size() {
        return byId.size();
    }

    /** Folds an applied configuration change entry in; other entries are ignored. */
    void apply(EntryView entry) {
        if (!change.wrap(entry.buffer(), entry.offset(), entry.length())) {
            return;
        }
        long id = change.member();
        if (change.type() == ConfChange.REMOVE) {
            if (byId.remove(id) != null) {
                version++;
            }
            return;
        }
        if (change.contextLength() == 0) {
            return; // a promotion, or an entry without metadata: what is known stays
        }
        byte[] m = new byte[change.contextLength()];
        entry.buffer().getBytes(change.contextOffset(), m);
        byte[] old = byId.put(id, m);
        if (old == null || !Arrays.equals(old, m)) {
            version++;
        }
    }

    /** @return bytes {@link #encode} writes */
    int encodedLength() {
        int n = 8;
        for (byte[] m : byId.values()) {
            n += 12 + m.length;
        }
        return n;
    }

    /** Writes the snapshot section at {@code at}; returns its length. */
    int encode(MutableDirectBuffer out, int at) {
        out.putInt(at, MAGIC, ORDER);
        out.putInt(at + 4, byId.size(), ORDER);
        int p = at + 8;
        for (Map.Entry<Long, byte[]> e : byId.entrySet()) {
            out.putLong(p, e.getKey(), ORDER);
            out.putInt(p + 8, e.getValue().length, ORDER);
            out.putBytes(p + 12, e.getValue());
            p += 12 + e.getValue().length;
        }
        return p - at;
    }

    /** @return whether a snapshot payload starts with a registry section */
    static boolean hasSection(DirectBuffer in, int offset, int length) {
        return length >= 8 && in.getInt(offset, ORDER) == MAGIC;
    }

    /**
     * Replaces the registry with a snapshot's section.
     *
     * @return the section's length, or -1 if it is malformed (the registry is then unchanged)
     */
    int restore(DirectBuffer in, int offset, int length) {
        if (!hasSection(in, offset, length)) {
            return -1;
        }
        int count = in.getInt(offset + 4, ORDER);
        TreeMap<Long, byte[]> read = new TreeMap<>();
        int p = offset + 8;
        int end = offset + length;
        for (int i = 0; i < count; i++) {
            if (p + 12 > end) {
                return -1;
            }
            long id = in.getLong(p, ORDER);
            int n = in.getInt(p + 8, ORDER);
            if (id <= 0 || n < 0 || n > MAX_METADATA_BYTES || p + 12 + n > end || read.containsKey(id)) {
                return -1;
            }
            byte[] m = new byte[n];
            in.getBytes(p + 12, m);
            read.put(id, m);
            p += 12 + n;
        }
        if (!sameAs(read)) {
            byId.clear();
            byId.putAll(read);
            version++;
        }
        return p - offset;
    }

    private boolean sameAs(TreeMap<Long, byte[]> other) {
        if (other.size() != byId.size()) {
            return false;
        }
        for (Map.Entry<Long, byte[]> e : other.entrySet()) {
            if (!Arrays.equals(e.getValue(), byId.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
