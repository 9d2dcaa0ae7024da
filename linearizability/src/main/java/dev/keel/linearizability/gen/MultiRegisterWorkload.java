package dev.keel.linearizability.gen;

import dev.keel.linearizability.edn.Keyword;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Registers :x, :y and :z changed by transactions of one to three reads and writes. */
final class MultiRegisterWorkload implements Workload {
    private static final List<Keyword> KEYS = List.of(Keyword.of("x"), Keyword.of("y"), Keyword.of("z"));
    private static final Keyword READ = Keyword.of("read");
    private static final Keyword WRITE = Keyword.of("write");

    private final int values;
    private final Map<Object, Object> registers = new HashMap<>();

    MultiRegisterWorkload(int values, Map<?, ?> initial) {
        this.values = values;
        if (initial != null) {
            registers.putAll(initial);
        }
    }

    @Override
    public Invocation invent(SplittableRandom random) {
        List<Object> txn = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            Keyword key = KEYS.get(random.nextInt(KEYS.size()));
            boolean read = random.nextBoolean();
            // Reads carry nil in the invocation: their result is unknown until they complete.
            txn.add(Arrays.asList(read ? READ : WRITE, key, read ? null : (Object) (long) random.nextInt(values)));
        }
        return new Invocation("txn", txn);
    }

    @Override
    public Result apply(Invocation invocation) {
        List<Object> done = new ArrayList<>();
        for (Object item : (List<?>) invocation.value()) {
            List<?> micro = (List<?>) item;
            Object key = micro.get(1);
            if (micro.get(0).equals(READ)) {
                done.add(Arrays.asList(READ, key, registers.get(key)));
            } else {
                registers.put(key, micro.get(2));
                done.add(micro);
            }
        }
        return new Result(true, done);
    }
}
