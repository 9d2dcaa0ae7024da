package dev.keel.linearizability.gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Many independent objects, one per integer key, with values wrapped as {@code [key value]} tuples. */
final class IndependentWorkload implements Workload {
    private final List<Workload> objects = new ArrayList<>();

    IndependentWorkload(int keys, Supplier<Workload> perKey) {
        for (int i = 0; i < keys; i++) {
            objects.add(perKey.get());
        }
    }

    @Override
    public Invocation invent(SplittableRandom random) {
        long key = random.nextInt(objects.size());
        Invocation inner = objects.get((int) key).invent(random);
        return new Invocation(inner.f(), Arrays.asList(key, inner.value()));
    }

    @Override
    public Result apply(Invocation invocation) {
        List<?> tuple = (List<?>) invocation.value();
        long key = (Long) tuple.get(0);
        Result inner = objects.get((int) key).apply(new Invocation(invocation.f(), tuple.get(1)));
        return new Result(inner.ok(), Arrays.asList(key, inner.value()));
    }
}
