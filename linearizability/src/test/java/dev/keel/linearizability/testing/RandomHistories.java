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

    private final SplittableRandom random;
    private final int values;

    private RandomHistories(SplittableRandom random, int values) {
        this.random = random;
        this.values = values;
    }

    /**
     * @param model  the model whose operations to invent (a name from {@code Models.NAMES})
     * @param maxOps at most this many operations (at least one)
     */
    public static History generate(String model, int maxOps, long seed) {
        return generate(model, maxOps, 2, seed);
    }

    /**
     * @param values values are drawn from {@code [0, values)}, plus {@code nil} for reads and expectations;
     *               more values mean more that nobody observes
     */
    public static History generate(String model, int maxOps, int values, long seed) {
        return new RandomHistories(new SplittableRandom(seed), values).history(model, maxOps);
    }

    private History history(String model, int maxOps) {
        int n = 1 + random.nextInt(maxOps);
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long invoke = random.nextInt(2 * n);
            long complete = invoke + random.nextInt(n + 1);
            int dice = random.nextInt(10);
            OpType type = dice < 6 ? OpType.OK : dice < 8 ? OpType.INFO : OpType.FAIL;
            Object[] call = invent(model);
            Object output = type == OpType.INFO ? null : call[2];
            ops.add(new Operation(i, (String) call[0], call[1], output, type, invoke, complete, null));
        }
        return History.of(ops);
    }

    /** @return {f, input, output} for a random operation of the model */
    private Object[] invent(String model) {
        switch (model) {
            case "register":
            case "cas-register":
                return register(model.equals("cas-register"));
            case "mutex":
                return new Object[] {random.nextBoolean() ? "acquire" : "release", null, null};
            case "multi-register":
                return multiRegister();
            case "kv":
                return kv();
            default:
                throw new IllegalArgumentException(model);
        }
    }

    private Object[] register(boolean withCas) {
        int dice = random.nextInt(withCas ? 3 : 2);
        if (dice == 0) {
            return new Object[] {"read", null, small()};
        }
        if (dice == 1) {
            Object v = small();
            return new Object[] {"write", v, v};
        }
        List<Object> cas = Arrays.asList(small(), small());
        return new Object[] {"cas", cas, cas};
    }

    private Object[] multiRegister() {
        List<Object> in = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            Keyword key = Keyword.of(random.nextBoolean() ? "x" : "y");
            if (random.nextBoolean()) {
                in.add(Arrays.asList(READ, key, null));
                out.add(Arrays.asList(READ, key, small()));
            } else {
                List<Object> write = List.of(WRITE, key, (long) random.nextInt(values));
                in.add(write);
                out.add(write);
            }
        }
        return new Object[] {"txn", in, out};
    }

    private Object[] kv() {
        String key = random.nextBoolean() ? "a" : "b";
        switch (random.nextInt(5)) {
            case 0:
                return new Object[] {"get", Arrays.asList(key, null), Arrays.asList(key, small())};
            case 1:
                Object v = (long) random.nextInt(values);
                return new Object[] {"put", List.of(key, v), List.of(key, v)};
            case 2:
                return new Object[] {"delete", Arrays.asList(key, null), List.of(key, (long) random.nextInt(values))};
            case 3:
                List<Object> cas = List.of(key, Arrays.asList(small(), (long) random.nextInt(values)));
                return new Object[] {"cas", cas, cas};
            default:
                return kvTxn(key);
        }
    }

    private Object[] kvTxn(String key) {
        Map<Object, Object> txn = new LinkedHashMap<>();
        txn.put(Keyword.of("compare"), List.of(Keyword.of("version"), Keyword.of("="), (long) random.nextInt(values)));
        txn.put(Keyword.of("then"), List.of(List.of(Keyword.of("put"), (long) random.nextInt(values))));
        txn.put(Keyword.of("else"), List.of(List.of(Keyword.of("get"))));
        Map<Object, Object> done = new LinkedHashMap<>(txn);
        done.put(Keyword.of("succeeded"), random.nextBoolean());
        return new Object[] {"txn", List.of(key, txn), List.of(key, done)};
    }

    /** @return nil or a value in {@code [0, values)} */
    private Object small() {
        int v = random.nextInt(values + 1);
        return v == values ? null : (Object) (long) v;
    }
}
