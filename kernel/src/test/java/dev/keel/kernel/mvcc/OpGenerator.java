package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.util.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/** Random request sequences over a small keyspace, so that keys collide, get deleted and come back. */
final class OpGenerator {
    static final String[] KEYS = {"a", "ab", "abc", "b", "b\0", "ba", "c", "\u00ff", "\u00ff\u00ff", "z"};
    private final SplitMix64 random;
    private final ReferenceModel model;

    OpGenerator(SplitMix64 random, ReferenceModel model) {
        this.random = random;
        this.model = model;
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private String key() {
        return chance(2) ? "" : KEYS[random.nextInt(KEYS.length)];
    }

    private String end(String key) {
        int pick = random.nextInt(10);
        if (pick < 4) {
            return "";
        }
        if (pick < 6) {
            return "\0";
        }
        if (pick < 8 && !key.isEmpty()) {
            return prefixEnd(key);
        }
        return KEYS[random.nextInt(KEYS.length)];
    }

    static String prefixEnd(String key) {
        char[] c = key.toCharArray();
        for (int i = c.length - 1; i >= 0; i--) {
            if (c[i] < 0xff) {
                c[i]++;
                return new String(c, 0, i + 1);
            }
        }
        return "\0";
    }

    private long revision() {
        if (chance(60)) {
            return 0;
        }
        return random.nextInt((int) model.current + 2);
    }

    private long lease() {
        return chance(70) ? 0 : 1 + random.nextInt(3);
    }

    Op.Put put() {
        int flags = chance(30) ? PutRequest.PREV_KV : 0;
        String value = "v" + random.nextInt(50);
        long lease = lease();
        if (chance(8)) {
            flags |= PutRequest.IGNORE_VALUE;
            value = chance(80) ? "" : value;
        }
        if (chance(8)) {
            flags |= PutRequest.IGNORE_LEASE;
            lease = chance(80) ? 0 : lease;
        }
        return new Op.Put(key(), value, lease, flags);
    }

    Op.Range range() {
        String key = key();
        int flags = (chance(10) ? RangeRequest.KEYS_ONLY : 0) | (chance(10) ? RangeRequest.COUNT_ONLY : 0);
        boolean filters = chance(20);
        long cur = model.current + 1;
        return new Op.Range(key, end(key), chance(40) ? random.nextInt(4) : 0, revision(),
                chance(30) ? random.nextInt(chance(3) ? 4 : 3) : 0, chance(30) ? random.nextInt(5) : 0,
                filters ? random.nextInt((int) cur) : 0, filters ? random.nextInt((int) cur) : 0,
                filters ? random.nextInt((int) cur) : 0, filters ? random.nextInt((int) cur) : 0, flags);
    }

    Op.Delete delete() {
        String key = key();
        return new Op.Delete(key, end(key), chance(40));
    }

    Op.Cmp compare() {
        String key = key();
        int target = random.nextInt(5);
        long operand = target == 4 ? random.nextInt(4) : random.nextInt((int) model.current + 2);
        return new Op.Cmp(random.nextInt(4), target, key, chance(20) ? end(key) : "", operand,
                "v" + random.nextInt(50));
    }

    Op.Txn txn(int depth) {
        List<Op.Cmp> compares = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            compares.add(compare());
        }
        return new Op.Txn(compares, branch(depth), branch(depth));
    }

    private List<Op> branch(int depth) {
        List<Op> ops = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            int pick = random.nextInt(10);
            if (pick < 4) {
                ops.add(put());
            } else if (pick < 6) {
                ops.add(delete());
            } else if (pick < 9 || depth >= 2) {
                ops.add(range());
            } else {
                ops.add(txn(depth + 1));
            }
        }
        return ops;
    }

    Op next() {
        int pick = random.nextInt(100);
        if (pick < 32) {
            return put();
        }
        if (pick < 42) {
            return delete();
        }
        if (pick < 60) {
            return range();
        }
        if (pick < 80) {
            return txn(0);
        }
        if (pick < 86) {
            long cur = model.current;
            return new Op.Compact(chance(20) ? random.nextInt((int) cur + 2) : model.compacted + random.nextInt(
                    (int) Math.max(1, cur - model.compacted + 1)));
        }
        if (pick < 93) {
            return new Op.LeaseGrant(chance(5) ? ReferenceModel.MAX_TTL + 1 : random.nextInt(10), 1 + random.nextInt(3));
        }
        return new Op.LeaseRevoke(1 + random.nextInt(3));
    }
}
