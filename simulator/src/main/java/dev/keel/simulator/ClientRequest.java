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
    /** grant a lease of {@code value} seconds (the lease ops address lease keys {@code l/00..}, outside the history). */
    static final byte LEASE_GRANT = 6;
    /** put {@code value} on lease key {@code key}, attached to lease {@code expected}. */
    static final byte LEASE_PUT = 7;
    /** keep lease {@code expected} alive (served by the leader, not through the log). */
    static final byte LEASE_KEEPALIVE = 8;
    static final byte LEASE_REVOKE = 9;
    /** a linearizable get of lease key {@code key}. */
    static final byte LEASE_GET = 10;
    /**
     * a range with options ({@link #revision}, {@link #limit}, {@link #flags}, sort) over one key or the whole
     * prefix of {@link #space}; checked against the reference model, outside the history.
     */
    static final byte RANGE_OPTS = 11;

    /** Keyspaces: the workload's {@code k/..}, the cold keys {@code c/..}, and {@code x/..}, never written. */
    static final byte SPACE_WORKLOAD = 0;
    static final byte SPACE_COLD = 1;
    static final byte SPACE_ABSENT = 2;

    final Requester client;
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
    /** Which keyspace {@link #key} is in (lease ops use {@code l/..} regardless). */
    byte space = SPACE_WORKLOAD;
    /** PUT, DELETE: {@code PREV_KV}; RANGE_OPTS: the range flags (count only, keys only). */
    int flags;
    /** RANGE_OPTS: whether it ranges over the whole prefix of {@link #space}, or one key. */
    boolean prefix;
    /** RANGE_OPTS: revision (0: current), limit (0: none), sort order and target. */
    long revision;
    long limit;
    int sortOrder;
    int sortTarget;

    ClientRequest(Requester client, long requestId, byte op, int key, long value, long expected, long expectedValue,
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
        return op == GET || op == RANGE || op == LEASE_GET || op == RANGE_OPTS;
    }

    /** @return whether the operation is recorded in the kv history (workload keys, a kind the model knows) */
    boolean inHistory() {
        return space == SPACE_WORKLOAD && op != RANGE_OPTS && op <= RANGE;
    }

    /** @return whether the request addresses a lease key ({@code l/..}) rather than a workload key */
    boolean onLeaseKey() {
        return op == LEASE_PUT || op == LEASE_GET;
    }

    String f() {
        switch (op) {
            case GET: return "get";
            case PUT: return "put";
            case DELETE: return "delete";
            case CAS: return "cas";
            case TXN_MOD: return "txn";
            case RANGE: return "range";
            case RANGE_OPTS: return "range-opts";
            default: return "lease-op-" + op;
        }
    }
}
