package dev.keel.replica;

import dev.keel.kernel.raft.MessageType;
import dev.keel.kernel.raft.Ready;

/**
 * Which messages of a batch may leave before its sync: a leader's appends, heartbeats, snapshot chunks and
 * transfer nudges acknowledge nothing of the local write (Raft thesis §10.2.1, as etcd does); votes and
 * every response must wait for durability.
 */
final class EarlyMessages {
    private EarlyMessages() {
    }

    static boolean mayLeaveBeforeSync(Ready ready, int i) {
        byte type = ready.messageType(i);
        return type == MessageType.APP || type == MessageType.HEARTBEAT || type == MessageType.SNAP
                || type == MessageType.TIMEOUT_NOW;
    }
}
