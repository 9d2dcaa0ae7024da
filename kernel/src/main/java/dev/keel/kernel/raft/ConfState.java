package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * A cluster configuration: the voters (counted in quorums, may vote and lead) and the learners (receive the log,
 * never vote, never counted). Member IDs are positive longs kept sorted, so equal configurations encode to equal
 * bytes. Mutable and reused to stay allocation-free; copy with {@link #copyFrom} where a value is kept.
 */
public final class ConfState {
    /** Hard limit on members, so read acknowledgements fit a 64-bit mask. */
    public static final int MAX_MEMBERS = 64;

    private final long[] voters = new long[MAX_MEMBERS];
    private final long[] learners = new long[MAX_MEMBERS];
    private int voterCount;
    private int learnerCount;

    /** @return a configuration with the given voters and no learners */
    public static ConfState ofVoters(long... ids) {
        ConfState state = new ConfState();
        for (long id : ids) {
            state.addVoter(id);
        }
        return state;
    }

    public int voterCount() {
        return voterCount;
    }

    public int learnerCount() {
        return learnerCount;
    }

    /** @return the i-th voter in ascending ID order */
    public long voter(int i) {
        return voters[i];
    }

    /** @return the i-th learner in ascending ID order */
    public long learner(int i) {
        return learners[i];
    }

    public boolean isVoter(long id) {
        return indexOf(voters, voterCount, id) >= 0;
    }

    public boolean isLearner(long id) {
        return indexOf(learners, learnerCount, id) >= 0;
    }

    public boolean isMember(long id) {
        return isVoter(id) || isLearner(id);
    }

    /** @return how many voters make a majority */
    public int quorum() {
        return voterCount / 2 + 1;
    }

    /** Adds a voter (removing it from learners if it was one). */
    public void addVoter(long id) {
        checkId(id);
        learnerCount = countAfterRemove(learnerCount, learners, id);
        voterCount = insert(voters, voterCount, id);
    }

    /** Adds a learner; a voter cannot be demoted this way (Raft forbids it: remove first). */
    public void addLearner(long id) {
        checkId(id);
        if (!isVoter(id)) {
            learnerCount = insert(learners, learnerCount, id);
        }
    }

    /** Removes a member from either set; unknown IDs are ignored. */
    public void remove(long id) {
        int v = voterCount;
        voterCount = countAfterRemove(voterCount, voters, id);
        if (v == voterCount) {
            learnerCount = countAfterRemove(learnerCount, learners, id);
        }
    }

    public void clear() {
        voterCount = 0;
        learnerCount = 0;
    }

    public void copyFrom(ConfState other) {
        System.arraycopy(other.voters, 0, voters, 0, other.voterCount);
        System.arraycopy(other.learners, 0, learners, 0, other.learnerCount);
        voterCount = other.voterCount;
        learnerCount = other.learnerCount;
    }

    /** @return bytes {@link #encode} writes */
    public int encodedLength() {
        return 8 + 8 * (voterCount + learnerCount);
    }

    /** Writes {@code int voters, int learners, long[] voters, long[] learners}; returns the length. */
    public int encode(MutableDirectBuffer buffer, int offset) {
        buffer.putInt(offset, voterCount);
        buffer.putInt(offset + 4, learnerCount);
        int p = offset + 8;
        for (int i = 0; i < voterCount; i++, p += 8) {
            buffer.putLong(p, voters[i]);
        }
        for (int i = 0; i < learnerCount; i++, p += 8) {
            buffer.putLong(p, learners[i]);
        }
        return p - offset;
    }

    /**
     * Reads what {@link #encode} wrote, validating counts against {@code limit}.
     *
     * @return the bytes consumed, or -1 if the bytes are not a valid configuration
     */
    public int decode(DirectBuffer buffer, int offset, int limit) {
        if (limit - offset < 8) {
            return -1;
        }
        int v = buffer.getInt(offset);
        int l = buffer.getInt(offset + 4);
        if (v < 0 || l < 0 || v + l > MAX_MEMBERS || limit - offset - 8 < 8 * (v + l)) {
            return -1;
        }
        clear();
        int p = offset + 8;
        for (int i = 0; i < v; i++, p += 8) {
            long id = buffer.getLong(p);
            if (id <= 0 || isMember(id)) {
                return -1;
            }
            addVoter(id);
        }
        for (int i = 0; i < l; i++, p += 8) {
            long id = buffer.getLong(p);
            if (id <= 0 || isMember(id)) {
                return -1;
            }
            addLearner(id);
        }
        return p - offset;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConfState)) {
            return false;
        }
        ConfState other = (ConfState) o;
        return Arrays.equals(voters, 0, voterCount, other.voters, 0, other.voterCount)
                && Arrays.equals(learners, 0, learnerCount, other.learners, 0, other.learnerCount);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < voterCount; i++) {
            h = 31 * h + Long.hashCode(voters[i]);
        }
        for (int i = 0; i < learnerCount; i++) {
            h = 37 * h + Long.hashCode(learners[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("voters=(");
        for (int i = 0; i < voterCount; i++) {
            sb.append(i == 0 ? "" : " ").append(voters[i]);
        }
        sb.append(')');
        if (learnerCount > 0) {
            sb.append(" learners=(");
            for (int i = 0; i < learnerCount; i++) {
                sb.append(i == 0 ? "" : " ").append(learners[i]);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static void checkId(long id) {
        if (id <= 0) {
            throw new IllegalArgumentException("member IDs are positive: " + id);
        }
    }

    private int insert(long[] ids, int count, long id) {
        int at = Arrays.binarySearch(ids, 0, count, id);
        if (at >= 0) {
            return count;
        }
        if (voterCount + learnerCount >= MAX_MEMBERS) {
            throw new IllegalArgumentException("a configuration holds at most " + MAX_MEMBERS + " members");
        }
        int pos = -at - 1;
        System.arraycopy(ids, pos, ids, pos + 1, count - pos);
        ids[pos] = id;
        return count + 1;
    }

    private static int countAfterRemove(int count, long[] ids, long id) {
        int at = Arrays.binarySearch(ids, 0, count, id);
        if (at < 0) {
            return count;
        }
        System.arraycopy(ids, at + 1, ids, at, count - at - 1);
        return count - 1;
    }

    private static int indexOf(long[] ids, int count, long id) {
        return Arrays.binarySearch(ids, 0, count, id);
    }
}
