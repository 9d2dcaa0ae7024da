package dev.keel.benchmarks.raft;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.InMemoryLogStorage;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.Ready;
import dev.keel.kernel.raft.Role;
import org.agrona.DirectBuffer;

/**
 * A cluster of kernels in one thread with instant, lossless delivery: each Ready's messages are stepped into
 * their targets straight from the sender's buffer (no copy), persistence is a no-op (the logs are in memory),
 * and there is no state machine. What remains is the kernel's own cost per entry.
 */
final class InMemoryCluster {
    final RaftNode[] nodes;

    InMemoryCluster(int size) {
        ConfState members = new ConfState();
        for (int id = 1; id <= size; id++) {
            members.addVoter(id);
        }
        nodes = new RaftNode[size];
        for (int i = 0; i < size; i++) {
            RaftConfig config = RaftConfig.defaults(i + 1, 1000 + i).withFlowControl(4 * 1024 * 1024, 256);
            nodes[i] = RaftNode.bootstrap(config, new InMemoryLogStorage(new ConfState()), members);
        }
        pump();
        nodes[0].campaign();
        pump();
        if (nodes[0].role() != Role.LEADER) {
            throw new IllegalStateException("node 1 did not become leader: " + nodes[0]);
        }
    }

    RaftNode leader() {
        return nodes[0];
    }

    /** Handles every node's ready batches until none has any. */
    void pump() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (RaftNode node : nodes) {
                if (node.hasReady()) {
                    busy = true;
                    handle(node.ready());
                    node.advance();
                }
            }
        }
    }

    private void handle(Ready ready) {
        DirectBuffer messages = ready.messageBuffer();
        for (int i = 0; i < ready.messageCount(); i++) {
            RaftNode target = nodes[(int) ready.messageTo(i) - 1];
            int status = target.step(messages, ready.messageOffset(i), ready.messageLength(i));
            if (status != 0) {
                throw new IllegalStateException("message refused: " + status);
            }
        }
    }

    /** Snapshots (empty state) and compacts every node up to what it applied, keeping memory bounded. */
    void compactAll(DirectBuffer empty) {
        for (RaftNode node : nodes) {
            if (node.takeSnapshot(empty, 0, 0) == 0) {
                node.compact(node.appliedIndex());
            }
        }
    }
}
