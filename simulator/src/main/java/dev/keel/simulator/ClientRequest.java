package dev.keel.simulator;

/** One client operation on its way to a node. */
final class ClientRequest {
    static final byte GET = 0;
    static final byte PUT = 1;
    static final byte DELETE = 2;
    /** if value == expected (0: key absent) then put value else get. */
    static final byte CAS = 3;
    /** if mod_revision == expected then put value else get. */
    static final byte TXN_MOD = 4;
    /** get every workload key with one prefix range. */
    static final byte RANGE = 5;

    final Client client;
    final long requestId;
    final byte op;
    final int key;
    final long value;
    /** CAS: the expected value; TXN_MOD: the expected mod revision. */
    final long expected;
    /** TXN_MOD: the value the client saw at that mod revision (values are unique, so it names that write). */
    final long expectedValue;
    /** RANGE: how many workload keys exist. */
    final int keys;

    ClientRequest(Client client, long requestId, byte op, int key, long value, long expected, long expectedValue,
                  int keys) {
        this.client = client;
        this.requestId = requestId;
        this.op = op;
        this.key = key;
        this.value = value;
        this.expected = expected;
        this.expectedValue = expectedValue;
        this.keys = keys;
    }

    boolean isRead() {
        return op == GET || op == RANGE;
    }

    String f() {
        switch (op) {
            case GET: return "get";
            case PUT: return "put";
            case DELETE: return "delete";
            case CAS: return "cas";
            case TXN_MOD: return "txn";
            default: return "range";
        }
    }
}
