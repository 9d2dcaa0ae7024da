package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test host for one {@link RaftNode}: its durable state, a tiny state machine (the list of applied entries),
 * and the read states it has been handed. Survives crashes; the {@link RaftNode} inside does not.
 */
final class TestNode {
    final long id;
    final RaftConfig config;
    final DurableState durable;
    RaftNode node;
    boolean crashed;
    /** The state machine: applied entries as text, in order ("conf:..." for configuration changes). */
    List<String> applied = new ArrayList<>();
    long appliedIndex;
    final List<String> readStates = new ArrayList<>();
    /** Bugs injected into this node; they survive restarts (the code is the same after a crash). */
    final List<String> bugs = new ArrayList<>();
    private final ConfChange change = new ConfChange();
    /** The batch whose sync is in flight (its early messages already sent), or null. */
    Ready syncing;
    /** Inputs that arrived while a sync was in flight, in order; {@link #TICK} stands for a tick. */
    final List<Envelope> inbox = new ArrayList<>();
    /** Scenario switch: the host leaves each batch's sync in flight until {@code sync ID}. */
    boolean slowSync;

    static final Envelope TICK = new Envelope(0, 0, (byte) 0, new byte[0]);

    /** A founding member (bootstrapped with {@code initial}), or a joining one if {@code initial} is empty. */
    TestNode(long id, RaftConfig config, ConfState initial) {
        this.id = id;
        this.config = config;
        this.durable = new DurableState(new ConfState());
        boolean joining = initial.voterCount() + initial.learnerCount() == 0;
        this.node = joining ? RaftNode.joining(config, durable.load())
                : RaftNode.bootstrap(config, durable.load(), initial);
    }

    void inject(String bug) {
        bugs.add(bug);
        BugInjector.inject(node, bug);
    }

    /** Loses everything not durable, a sync in flight included (its early messages may be out already). */
    void crash() {
        crashed = true;
        node = null;
        syncing = null;
        inbox.clear();
        durable.unsyncedCommit = 0;
    }

    /** Rebuilds the node and its state machine from durable state, as a restarted process would. */
    void restart() {
        crashed = false;
        node = new RaftNode(config, durable.load(), durable.term, durable.vote, durable.commit);
        bugs.forEach(bug -> BugInjector.inject(node, bug));
        restoreStateMachine(durable.snapshotData, durable.snapshotIndex);
    }

    /** Applies one committed entry to the state machine; returns its text form. */
    String apply(EntryView entry) {
        String text;
        if (entry.type() == EntryType.CONF_CHANGE) {
            change.wrap(entry.buffer(), entry.offset(), entry.length());
            text = "conf:" + ConfChange.name(change.type()) + " " + change.member();
            applied.add(text);
        } else if (entry.length() == 0) {
            text = "";
        } else {
            text = new String(entry.copyData(), StandardCharsets.UTF_8);
            applied.add(text);
        }
        appliedIndex = entry.index();
        return text;
    }

    /** @return the state machine as snapshot bytes: applied index, then the applied texts */
    byte[] snapshotBytes() {
        return (appliedIndex + "\n" + String.join("\n", applied)).getBytes(StandardCharsets.UTF_8);
    }

    void restoreStateMachine(byte[] data, long index) {
        applied = new ArrayList<>();
        appliedIndex = index;
        if (data.length == 0) {
            return;
        }
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 1; i < lines.length; i++) {
            applied.add(lines[i]);
        }
    }

    /** Takes a snapshot at the applied index, records it durably, and compacts nothing. */
    int takeSnapshot() {
        byte[] data = snapshotBytes();
        int result = node.takeSnapshot(new UnsafeBuffer(data), 0, data.length);
        if (result == RaftError.OK) {
            LogStorage s = node.storage();
            durable.saveSnapshot(s.snapshotIndex(), s.snapshotTerm(), s.snapshotConf(), data);
        }
        return result;
    }

    int compact(long index) {
        int result = node.compact(index);
        if (result == RaftError.OK) {
            durable.compact(index);
        }
        return result;
    }
}
