package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas apply the same log: one is the leader (it ticks, expires leases and proposes their revokes),
 * the other a follower with a different physical-compaction budget and tick pattern. Every response must be
 * byte-for-byte identical, and so must the snapshots and hashes at the end.
 */
class ReplicaDeterminismTest {
    @Test
    void replicasApplyingTheSameLogAgreeByteForByte() {
        long[] expiries = new long[1];
        Property.forAll("replica-determinism", 100, seed -> {
            SplitMix64 random = new SplitMix64(seed);
            ReferenceModel model = MvccModelTest.newModel();
            OpGenerator generator = new OpGenerator(random, model);
            MvccStateMachine leader = new MvccStateMachine(new MvccConfig().ticksPerSecond(10)
                    .compactionStepBudget(1));
            MvccStateMachine follower = new MvccStateMachine(new MvccConfig().ticksPerSecond(10)
                    .compactionStepBudget(1000));
            leader.promote(5);
            ExpandableArrayBuffer a = new ExpandableArrayBuffer();
            ExpandableArrayBuffer b = new ExpandableArrayBuffer();
            LongArrayList expired = new LongArrayList();
            List<String> log = new ArrayList<>();
            long index = 0;
            for (int step = 0; step < 200; step++) {
                List<byte[]> entries = new ArrayList<>();
                List<String> names = new ArrayList<>();
                Op op = generator.next();
                model.apply(op);
                entries.add(op.bytes());
                names.add(op.toString());
                for (int t = random.nextInt(8); t > 0; t--) {
                    leader.tick();
                }
                if (random.nextInt(3) == 0) {
                    follower.tick();
                }
                expired.clear();
                leader.expiredLeases(expired);
                expiries[0] += expired.size();
                for (int i = 0; i < expired.size(); i++) {
                    byte[] revoke = new byte[32];
                    int n = SmallRequests.encodeLeaseRevoke(new UnsafeBuffer(revoke), 0, expired.getLong(i));
                    entries.add(Arrays.copyOf(revoke, n));
                    names.add("expiry revoke " + expired.getLong(i));
                }
                for (int e = 0; e < entries.size(); e++) {
                    byte[] entry = entries.get(e);
                    index++;
                    log.add(names.get(e));
                    UnsafeBuffer bytes = new UnsafeBuffer(entry);
                    if (leader.validate(bytes, 0, entry.length) != MvccError.OK) {
                        continue;
                    }
                    int na = leader.apply(index, bytes, 0, entry.length, a);
                    int nb = follower.apply(index, bytes, 0, entry.length, b);
                    assertArrayEquals(Arrays.copyOf(a.byteArray(), na), Arrays.copyOf(b.byteArray(), nb),
                            "response to entry " + index + " differs; operations:\n  " + String.join("\n  ", log));
                }
            }
            int sa = leader.snapshot(a);
            int sb = follower.snapshot(b);
            assertArrayEquals(Arrays.copyOf(a.byteArray(), sa), Arrays.copyOf(b.byteArray(), sb));
            int ha = leader.hashKv(0, a);
            int hb = follower.hashKv(0, b);
            assertArrayEquals(Arrays.copyOf(a.byteArray(), ha), Arrays.copyOf(b.byteArray(), hb));
            assertEquals(leader.usedBytes(), follower.usedBytes());
        });
        assertTrue(expiries[0] > 100, "the runs exercised lease expiry: " + expiries[0]);
    }
}
