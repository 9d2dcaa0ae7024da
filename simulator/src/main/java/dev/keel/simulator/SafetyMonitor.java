package dev.keel.simulator;

import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.LogStorage;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.List;

/**
 * Cluster-wide safety records, checked as the run goes: at most one leader per term (election safety); every
 * new leader holds every entry applied anywhere (leader completeness); one entry per index among everything
 * ever applied (committed entries never change, state machine safety); one state hash per applied index
 * (replicas with equal history have equal state); and log matching between live logs. A violation throws
 * {@link SimulationFailure}.
 */
final class SafetyMonitor {
    private static final long MISSING = Long.MIN_VALUE;
    private final Long2LongHashMap leaderOfTerm = new Long2LongHashMap(MISSING);
    /** HashKV of a replica's whole store at an applied index (taken when it snapshots). */
    private final Long2LongHashMap storeHashAt = new Long2LongHashMap(MISSING);
    /** Indexed by log index: what was applied there first. */
    private long[] termAt = new long[1024];
    private long[] entryHashAt = new long[1024];
    private long[] stateHashAt = new long[1024];
    /**
     * Indexed by log index: the highest leader term known when the entry was first applied — an upper bound of
     * the term in which it was committed (a leader is reported before it can commit anything).
     */
    private long[] committedByTermAt = new long[1024];
    private long highestLeaderTerm;
    private long maxApplied;
    private final EntryView a = new EntryView();
    private final EntryView b = new EntryView();

    /**
     * Leader completeness: the leader of {@code term} holds every entry committed in an earlier term. (A
     * candidate delayed by a pause may win an older term after a newer one committed entries: those it need
     * not hold.)
     */
    void onLeader(long term, long node, LogStorage log) {
        highestLeaderTerm = Math.max(highestLeaderTerm, term);
        long previous = leaderOfTerm.get(term);
        if (previous == MISSING) {
            leaderOfTerm.put(term, node);
        } else if (previous != node) {
            throw new SimulationFailure("election safety", "nodes " + previous + " and " + node + " both led term "
                    + term);
        }
        for (long i = Math.max(1, log.firstIndex()); i <= maxApplied; i++) {
            if (termAt[(int) i] != 0 && committedByTermAt[(int) i] < term && log.term(i) != termAt[(int) i]) {
                throw new SimulationFailure("leader completeness", "node " + node + " leads term " + term
                        + " without entry " + i + "/" + termAt[(int) i] + ", which was applied (it holds "
                        + (log.term(i) == LogStorage.TERM_UNAVAILABLE ? "nothing" : i + "/" + log.term(i))
                        + " there)");
            }
        }
    }

    void onApplied(long node, long index, long term, long entryHash, long stateHash) {
        ensure(index);
        int i = (int) index;
        if (termAt[i] == 0) {
            termAt[i] = term;
            committedByTermAt[i] = highestLeaderTerm;
            entryHashAt[i] = entryHash;
            stateHashAt[i] = stateHash;
            maxApplied = Math.max(maxApplied, index);
            return;
        }
        if (termAt[i] != term || entryHashAt[i] != entryHash) {
            throw new SimulationFailure("state machine safety", "node " + node + " applied " + index + "/" + term
                    + " but " + index + "/" + termAt[i] + " was applied before (a committed entry changed)");
        }
        if (stateHashAt[i] != stateHash) {
            throw new SimulationFailure("state hash", "node " + node + " has a different state after applying "
                    + index + " than another replica had");
        }
    }

    /** Replicas that applied the same entries hold the same store: HashKV agrees at equal applied index. */
    void onStoreHash(long node, long index, long hash) {
        long known = storeHashAt.get(index);
        if (known == MISSING) {
            storeHashAt.put(index, hash);
        } else if (known != hash) {
            throw new SimulationFailure("state hash", "node " + node + " has a different store (HashKV) after"
                    + " applying " + index + " than another replica had");
        }
    }

    /** Every committed entry a node holds must be the one applied somewhere at that index. */
    void checkCommittedPrefix(long node, LogStorage log, long commit) {
        for (long i = Math.max(log.firstIndex(), 1); i <= Math.min(commit, maxApplied); i++) {
            long known = termAt[(int) i];
            if (known != 0 && log.term(i) != known) {
                throw new SimulationFailure("committed entries never change", "node " + node + " holds "
                        + i + "/" + log.term(i) + " below its commit " + commit + " but " + i + "/" + known
                        + " was applied");
            }
        }
    }

    /** Log matching: two logs that agree on an entry's term agree on everything before it. */
    void checkLogMatching(List<LogStorage> logs, List<Long> ids) {
        for (int x = 0; x < logs.size(); x++) {
            for (int y = x + 1; y < logs.size(); y++) {
                checkPair(logs.get(x), logs.get(y), ids.get(x), ids.get(y));
            }
        }
    }

    private void checkPair(LogStorage x, LogStorage y, long idX, long idY) {
        long lo = Math.max(x.firstIndex(), y.firstIndex());
        long hi = Math.min(x.lastIndex(), y.lastIndex());
        boolean matched = false;
        for (long i = hi; i >= lo; i--) {
            x.entry(i, a);
            y.entry(i, b);
            matched |= a.term() == b.term();
            if (matched && (a.term() != b.term() || !sameBytes(a, b))) {
                throw new SimulationFailure("log matching", "nodes " + idX + " and " + idY + " agree on a later"
                        + " entry but differ at " + i);
            }
        }
    }

    static boolean sameBytes(EntryView a, EntryView b) {
        if (a.length() != b.length() || a.type() != b.type()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (a.buffer().getByte(a.offset() + i) != b.buffer().getByte(b.offset() + i)) {
                return false;
            }
        }
        return true;
    }

    long entriesApplied() {
        return maxApplied;
    }

    private void ensure(long index) {
        if (index >= termAt.length) {
            int capacity = Math.max(termAt.length * 2, (int) index + 1);
            termAt = Arrays.copyOf(termAt, capacity);
            entryHashAt = Arrays.copyOf(entryHashAt, capacity);
            stateHashAt = Arrays.copyOf(stateHashAt, capacity);
            committedByTermAt = Arrays.copyOf(committedByTermAt, capacity);
        }
    }
}
