package dev.keel.replica;

import dev.keel.kernel.raft.ConfChange;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongHashSet;

/**
 * Members this replica applied the removal of, and telling them. A leader stops replicating to a member once
 * its removal is applied, so the removed member may never learn that the removal committed; as etcd's peers
 * answer a removed member's traffic with "the member has been permanently removed from the cluster", this
 * replica sends a {@link ForwardFrame#REMOVED} frame when it applies a removal and whenever a removed member
 * sends it anything. Sound because member IDs are never reused: an ID whose removal was applied never belongs to
 * the cluster again. Removals compacted into a snapshot before a restart are forgotten (the removed member then
 * learns it from another peer, or stays idle: nobody replicates to it).
 */
final class RemovedMembers {
    private final long self;
    private final Transport transport;
    private final LongHashSet removed = new LongHashSet();
    private final ConfChange change = new ConfChange();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(ForwardFrame.HEADER);

    RemovedMembers(long self, Transport transport) {
        this.self = self;
        this.transport = transport;
    }

    /**
     * A configuration change entry was applied: a removal of another member is remembered and told to it.
     *
     * @return whether it removes this member
     */
    boolean removesSelf(EntryView entry, RaftNode raft) {
        if (!change.wrap(entry.buffer(), entry.offset(), entry.length()) || change.type() != ConfChange.REMOVE) {
            return false;
        }
        if (change.member() == self) {
            return true;
        }
        removed.add(change.member());
        tell(change.member(), raft.term(), raft.leaderId());
        return false;
    }

    /**
     * @return whether bytes from {@code from} come from a removed member (they are dropped, and it is told)
     */
    boolean refuse(long from, long term, long leader) {
        if (!removed.contains(from)) {
            return false;
        }
        tell(from, term, leader);
        return true;
    }

    /** @return whether the frame tells this replica that it was removed */
    static boolean isRemovedNotice(DirectBuffer buffer, int offset, int length) {
        return ForwardFrame.valid(buffer, offset, length)
                && buffer.getByte(offset + ForwardFrame.KIND_OFFSET) == ForwardFrame.REMOVED;
    }

    private void tell(long member, long term, long leader) {
        int n = ForwardFrame.encode(frame, ForwardFrame.REMOVED, self, term, 0, leader, null, 0, 0);
        transport.send(member, frame, 0, n);
    }
}
