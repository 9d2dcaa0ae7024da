package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccStateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * What a replica's Raft snapshot holds, as the kernel keeps and ships it and the snapshot file stores it: the
 * {@link MemberRegistry}'s section, then the MVCC snapshot. A payload without the section (written before it
 * existed) is the store alone; the registry then stays as it was.
 */
final class SnapshotPayload {
    /** Writes the payload into {@code out} from offset 0 (the store straight after the section); returns its length. */
    static int encode(MemberRegistry members, MvccStateMachine mvcc, ExpandableArrayBuffer out) {
        int registryLength = members.encode(out, 0);
        return registryLength + mvcc.snapshot(out, registryLength);
    }

    /** @return the exact length {@link #encode} would write now */
    static long length(MemberRegistry members, MvccStateMachine mvcc, ExpandableArrayBuffer scratch) {
        return members.encode(scratch, 0) + mvcc.snapshotLength();
    }

    /** @return whether the payload was restored into the registry and the store */
    static boolean restore(MemberRegistry members, MvccStateMachine mvcc, DirectBuffer data, int offset,
                           int length) {
        int registryLength = 0;
        if (MemberRegistry.hasSection(data, offset, length)) {
            registryLength = members.restore(data, offset, length);
            if (registryLength < 0) {
                return false;
            }
        }
        return mvcc.restore(data, offset + registryLength, length - registryLength);
    }
}
