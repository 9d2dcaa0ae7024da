package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;

/**
 * One batch of work a {@link RaftNode} hands its host. The host must, in this order:
 * <ol>
 *   <li>make durable: the hard state (if {@link #hasHardState()}), the snapshot (if {@link #hasSnapshot()}),
 *       and the entries {@code [persistFrom, persistTo]} — replacing whatever its durable log holds at or after
 *       {@code persistFrom} (a new leader may have overwritten an uncommitted suffix);</li>
 *   <li>only then send the messages: they may acknowledge those entries or that vote (the
 *       <b>persistence-before-send rule</b>; breaking it lets a crash forget a vote or an acknowledged entry,
 *       and Raft's safety with it);</li>
 *   <li>install the snapshot into the state machine, then apply the committed entries
 *       {@code [applyFrom, applyTo]} in order;</li>
 *   <li>serve the read states (their indexes are applied once step 3 is done);</li>
 *   <li>call {@link RaftNode#advance()}.</li>
 * </ol>
 * The node must not be stepped, ticked or asked for anything between {@link RaftNode#ready()} and
 * {@link RaftNode#advance()}. The object is reused; read it before advancing.
 */
public final class Ready {
    private final RaftNode node;
    private final LogStorage storage;
    private final Outbox outbox;

    boolean hasHardState;
    long term;
    long vote;
    long commit;

    long persistFrom;
    long persistTo;

    boolean hasSnapshot;

    long applyFrom;
    long applyTo;

    boolean softStateChanged;
    long leaderId;
    int role;

    private final long[] readContexts;
    private final long[] readIndexes;
    private final byte[] readStatuses;
    private int readCount;

    Ready(RaftNode node, LogStorage storage, Outbox outbox, int maxReads) {
        this.node = node;
        this.storage = storage;
        this.outbox = outbox;
        readContexts = new long[maxReads];
        readIndexes = new long[maxReads];
        readStatuses = new byte[maxReads];
    }

    void reset() {
        hasHardState = false;
        persistFrom = 1;
        persistTo = 0;
        hasSnapshot = false;
        applyFrom = 1;
        applyTo = 0;
        softStateChanged = false;
        readCount = 0;
    }

    void addReadState(long context, long index, byte status) {
        readContexts[readCount] = context;
        readIndexes[readCount] = index;
        readStatuses[readCount] = status;
        readCount++;
    }

    /** @return whether term, vote or commit changed and must be persisted */
    public boolean hasHardState() {
        return hasHardState;
    }

    public long term() {
        return term;
    }

    /** @return the member voted for in {@link #term()}, 0 for none */
    public long vote() {
        return vote;
    }

    public long commit() {
        return commit;
    }

    /** @return whether there are entries to persist */
    public boolean hasEntries() {
        return persistFrom <= persistTo;
    }

    /** @return the first index to persist; the durable log must drop anything it holds at or after it */
    public long persistFrom() {
        return persistFrom;
    }

    public long persistTo() {
        return persistTo;
    }

    /** Points {@code view} at a log entry (to persist or to apply). */
    public EntryView entry(long index, EntryView view) {
        return storage.entry(index, view);
    }

    /**
     * @return whether a snapshot from the leader must be persisted and installed; it replaces the whole durable
     *         log (every entry the host holds is dropped) and the state machine's state
     */
    public boolean hasSnapshot() {
        return hasSnapshot;
    }

    public long snapshotIndex() {
        return storage.snapshotIndex();
    }

    public long snapshotTerm() {
        return storage.snapshotTerm();
    }

    public ConfState snapshotConf() {
        return storage.snapshotConf();
    }

    /** @return the snapshot's bytes, from offset 0 for {@link #snapshotLength()} */
    public DirectBuffer snapshotData() {
        return storage.snapshotData();
    }

    public int snapshotLength() {
        return storage.snapshotLength();
    }

    /** @return whether there are committed entries to apply */
    public boolean hasCommittedEntries() {
        return applyFrom <= applyTo;
    }

    public long applyFrom() {
        return applyFrom;
    }

    public long applyTo() {
        return applyTo;
    }

    public int messageCount() {
        return outbox.count();
    }

    /** @return the buffer all messages live in */
    public DirectBuffer messageBuffer() {
        return outbox.buffer();
    }

    public int messageOffset(int i) {
        return outbox.offset(i);
    }

    public int messageLength(int i) {
        return outbox.length(i);
    }

    public long messageTo(int i) {
        return outbox.to(i);
    }

    public byte messageType(int i) {
        return outbox.type(i);
    }

    public int readStateCount() {
        return readCount;
    }

    /** @return the context the host passed to {@link RaftNode#readIndex(long)} */
    public long readContext(int i) {
        return readContexts[i];
    }

    /** @return the read index (meaningful when the status is {@link ReadState#OK}) */
    public long readIndex(int i) {
        return readIndexes[i];
    }

    /** @return a {@link ReadState} status */
    public byte readStatus(int i) {
        return readStatuses[i];
    }

    /** @return whether the leader or this node's role changed */
    public boolean softStateChanged() {
        return softStateChanged;
    }

    public long leaderId() {
        return leaderId;
    }

    /** @return a {@link Role} */
    public int role() {
        return role;
    }

    /** @return the node that produced this batch */
    public RaftNode node() {
        return node;
    }
}
