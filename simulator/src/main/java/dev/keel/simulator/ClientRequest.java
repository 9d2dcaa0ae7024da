package dev.keel.simulator;

/** One client operation on its way to a node. */
final class ClientRequest {
    static final byte GET = 0;

    final Client client;
    final long requestId;
    /** {@link #GET} or a {@link KvCommand} op. */
    final byte op;
    final int key;
    final long value;
    final long expected;

    ClientRequest(Client client, long requestId, byte op, int key, long value, long expected) {
        this.client = client;
        this.requestId = requestId;
        this.op = op;
        this.key = key;
        this.value = value;
        this.expected = expected;
    }

    String f() {
        switch (op) {
            case GET: return "get";
            case KvCommand.PUT: return "put";
            case KvCommand.DELETE: return "delete";
            default: return "cas";
        }
    }
}
