package dev.keel.linearizability.testing;

import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small random histories with no regard for plausibility: random intervals that overlap at random, random
 * ok / info / fail completions, random arguments and results from tiny value ranges (so that some histories are
 * linearizable and many are not). Each operation runs on its own process.
 */
public final class RandomHistories {
    private static final Keyword READ = Keyword.of("read");
    private static final Keyword WRITE = Keyword.of("write");

    private RandomHistories() {
    }

    /**
     * @param model  the model whose operations to invent (a name from {@code Models.NAMES})
     * @param maxOps at most this many operations (at least one)
     */
    public static History generate(String model, int maxOps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(maxOps);
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long invoke = random.nextInt(2 * n);
            long complete = invoke + random.nextInt(n + 1);
            int dice = random.nextInt(10);
            OpType type = dice < 6 ? OpType.OK : dice < 8 ? OpType.INFO : OpType.FAIL;
            Object[] call = invent(model, random);
            Object output = type == OpType.INFO ? null : call[2];
            ops.add(new Operation(i, (String) call[0], call[1], output, type, invoke, complete, null));
        }
        return History.of(ops);
    }

    /** @return {f, input, output} for a random operation of the model */
    private static Object[] invent(String model, SplittableRandom random) {
        switch (model) {
            case "register":
            case "cas-register":
                return register(model.equals("cas-register"), random);
            case "mutex":
                return new Object[] {random.nextBoolean() ? "acquire" : "release", null, null};
            case "multi-register":
                return multiRegister(random);
            case "kv":
                return kv(random);
            default:
                throw new IllegalArgumentException(model);
        }
    }

    private static Object[] register(boolean withCas, SplittableRandom random) {
        int dice = random.nextInt(withCas ? 3 : 2);
        if (dice == 0) {
            return new Object[] {"read", null, small(random)};
        }
        if (dice == 1) {
            Object v = small(random);
            return new Object[] {"write", v, v};
        }
        List<Object> cas = Arrays.asList(small(random), small(random));
        return new Object[] {"cas", cas, cas};
    }

    private static Object[] multiRegister(SplittableRandom random) {
        List<Object> in = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            Keyword key = Keyword.of(random.nextBoolean() ? "x" : "y");
            if (random.nextBoolean()) {
                in.add(Arrays.asList(READ, key, null));
                out.add(Arrays.asList(READ, key, small(random)));
            } else {
                List<Object> write = List.of(WRITE, key, (long) random.nextInt(2));
                in.add(write);
                out.add(write);
            }
        }
        return new Object[] {"txn", in, out};
    }

    private static Object[] kv(SplittableRandom random) {
        String key = random.nextBoolean() ? "a" : "b";
        switch (random.nextInt(5)) {
            case 0:
                return new Object[] {"get", Arrays.asList(key, null), Arrays.asList(key, small(random))};
            case 1:
                Object v = (long) random.nextInt(2);
                return new Object[] {"put", List.of(key, v), List.of(key, v)};
            case 2:
                return new Object[] {"delete", Arrays.asList(key, null), List.of(key, (long) random.nextInt(2))};
            case 3:
                List<Object> cas = List.of(key, Arrays.asList(small(random), (long) random.nextInt(2)));
                return new Object[] {"cas", cas, cas};
            default:
                return kvTxn(key, random);
        }
    }

    private static Object[] kvTxn(String key, SplittableRandom random) {
        Map<Object, Object> txn = new LinkedHashMap<>();
        txn.put(Keyword.of("compare"), List.of(Keyword.of("version"), Keyword.of("="), (long) random.nextInt(2)));
        txn.put(Keyword.of("then"), List.of(List.of(Keyword.of("put"), (long) random.nextInt(2))));
        txn.put(Keyword.of("else"), List.of(List.of(Keyword.of("get"))));
        Map<Object, Object> done = new LinkedHashMap<>(txn);
        done.put(Keyword.of("succeeded"), random.nextBoolean());
        return new Object[] {"txn", List.of(key, txn), List.of(key, done)};
    }

    /** @return nil, 0 or 1 */
    private static Object small(SplittableRandom random) {
        int v = random.nextInt(3);
        return v == 2 ? null : (Object) (long) v;
    }
}
