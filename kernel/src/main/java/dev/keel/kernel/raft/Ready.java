package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;

/**
 * One batch of work a {@link RaftNode} hands its host. The host must, in this order:
 * <ol>
 *   <li>write (not yet durable): the hard state (if {@link #hasHardState()}), the snapshot (if
 *       {@link #hasSnapshot()}), and the entries {@code [persistFrom, persistTo]} — replacing whatever its log
 *       holds at or after {@code persistFrom} (a new leader may have overwritten an uncommitted suffix);</li>
 *   <li>it <em>may</em> now send the messages for which {@link #messageMayLeaveBeforeSync(int)} is true: a
 *       leader's appends, heartbeats, snapshot chunks and {@code MsgTimeoutNow}, which acknowledge nothing
 *       (Raft thesis §10.2.1: the leader writes to its disk in parallel with its followers);</li>
 *   <li>sync: make everything written in step 1 durable — unless {@link #mustSync()} is false (the only durable
 *       change is the commit index: etcd's {@code MustSync}), in which case what was written becomes durable
 *       with a later batch's sync or not at all, and the host goes straight on;</li>
 *   <li>only then send the other messages: they may acknowledge those entries or that vote (the
 *       <b>persistence-before-send rule</b>; breaking it lets a crash forget a vote or an acknowledged entry,
 *       and Raft's safety with it);</li>
 *   <li>install the snapshot into the state machine, then apply the committed entries
 *       {@code [applyFrom, applyTo]} in order;</li>
 *   <li>serve the read states (their indexes are applied once step 5 is done);</li>
 *   <li>call {@link RaftNode#advance()}.</li>
 * </ol>
 * A host that does not care about the early messages may send all messages after step 3, as before.
 *
 * <p>The node must not be stepped, ticked or asked for anything between {@link RaftNode#ready()} and
 * {@link RaftNode#advance()}. <b>Group commit:</b> while a sync is in flight the host collects what arrives
 * (messages, ticks, proposals, reads) and feeds it to the node only after {@code advance()}; the next
 * {@code ready()} then carries all of it in one batch, with one sync.
 *
 * <p>Why the early messages are safe: a leader counts its own log toward a commit quorum only for entries
 * {@code advance()} has confirmed durable, so a follower acknowledging an append that raced ahead of the
 * leader's sync cannot commit anything alone; if the leader crashes before its sync, its unsynced entries are
 * merely uncommitted entries some followers hold, which Raft already handles. One exception, as in etcd's
 * raft: the batch that carries a leader's new entries also carries the commit index a quorum reaches once
 * they are durable here ({@link #commit()}, {@link #applyTo()}; on a single voter, the entries themselves).
 * That is safe because the host applies them only after this batch's sync, the node moves its own commit
 * index only in {@code advance()}, and no message of this batch carries it — every message that announces
 * it leaves after the leader's copy is durable, so a quorum holds the entries durably by then. A leader's term
 * and vote were durable before any of its messages left (see {@link #messageMayLeaveBeforeSync(int)}), so a
 * restart cannot lead the same term twice.
 *
 * <p>The object is reused; read it before advancing.
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

    /** The term that was durable before this batch: messages of a newer term wait for the sync. */
    long durableTerm;
    /** The vote that was durable before this batch. */
    long durableVote;

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

    /**
     * @return whether the host must sync this batch before its step 4 (etcd's {@code raft.MustSync}): it
     *         carries entries or a snapshot, or changes the term or the vote. A batch whose only durable change
     *         is the commit index is written but need not be synced — the commit index is recoverable (a
     *         restarted member takes the larger of its hard state's and its snapshot's, and learns the rest
     *         from the leader), and the entries it covers are already durable here, so losing its last advance
     *         in a crash loses nothing; such a batch applies only entries an earlier synced batch made durable.
     */
    public boolean mustSync() {
        return hasSnapshot || hasEntries() || hasHardState && (term != durableTerm || vote != durableVote);
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

    /**
     * Whether message {@code i} may be sent before this batch is durable (step 2 of the contract above), or must
     * wait until the hard state and entries are synced (step 4).
     *
     * <p>True exactly for the types only a leader sends ({@link MessageType#isSentOnlyByLeaders}: appends,
     * heartbeats, snapshot chunks, {@code MsgTimeoutNow}) in a term that was already durable before this batch.
     * Deciding by type is deciding by role: no other role produces those types, so such a message was produced
     * while this node led — even if the node stepped down later in the same batch (the message is still only an
     * append, heartbeat or snapshot chunk of the term it led). Everything else waits: votes and vote requests,
     * pre-votes, append / heartbeat / snapshot responses, ReadIndex requests and responses, transfer requests.
     *
     * <p>The term condition matters when a node campaigns and wins in one step (a single voter, with learners
     * to send to): its new term and self-vote are in this very batch. Sent early, its appends could outlive a
     * crash that forgot the term, and the restarted node could lead that term a second time with different
     * entries. A leader elected by others always has its term durable before its first message (its vote
     * requests waited for the sync), so steady-state appends and heartbeats all leave early.
     *
     * <p>Allocation-free; reads the message header in place.
     */
    public boolean messageMayLeaveBeforeSync(int i) {
        return MessageType.isSentOnlyByLeaders(outbox.type(i)) && outbox.term(i) <= durableTerm;
    }

    /** @return the term message {@code i} carries */
    public long messageTerm(int i) {
        return outbox.term(i);
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
