package dev.keel.linearizability.gen;

import java.util.SplittableRandom;

/** A try-lock: acquire succeeds only when free, release only when held; otherwise the operation fails. */
final class MutexWorkload implements Workload {
    private boolean held;

    @Override
    public Invocation invent(SplittableRandom random) {
        return new Invocation(random.nextBoolean() ? "acquire" : "release", null);
    }

    @Override
    public Result apply(Invocation invocation) {
        boolean acquire = invocation.f().equals("acquire");
        if (held == acquire) {
            return new Result(false, null);
        }
        held = acquire;
        return new Result(true, null);
    }
}
