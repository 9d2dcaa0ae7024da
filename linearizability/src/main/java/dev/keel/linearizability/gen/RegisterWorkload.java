package dev.keel.linearizability.gen;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** A register with reads, writes and (for the cas-register) compare-and-set, over small integer values. */
final class RegisterWorkload implements Workload {
    private final boolean withCas;
    private final int values;
    private Object value;

    RegisterWorkload(boolean withCas, int values, Object initial) {
        this.withCas = withCas;
        this.values = values;
        this.value = initial;
    }

    @Override
    public Invocation invent(SplittableRandom random) {
        int dice = random.nextInt(withCas ? 10 : 7);
        if (dice < 4) {
            return new Invocation("read", null);
        }
        if (dice < 7) {
            return new Invocation("write", (long) random.nextInt(values));
        }
        return new Invocation("cas", List.of((long) random.nextInt(values), (long) random.nextInt(values)));
    }

    @Override
    public Result apply(Invocation invocation) {
        switch (invocation.f()) {
            case "read":
                return new Result(true, value);
            case "write":
                value = invocation.value();
                return new Result(true, invocation.value());
            default:
                List<?> cas = (List<?>) invocation.value();
                if (!Objects.equals(value, cas.get(0))) {
                    return new Result(false, cas);
                }
                value = cas.get(1);
                return new Result(true, cas);
        }
    }
}
