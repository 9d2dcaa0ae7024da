package dev.keel.linearizability.gen;

import dev.keel.linearizability.edn.Keyword;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An etcd-like key-value store with get, put, delete, cas and single-key transactions that compare the key's
 * version, using the kv model's EDN encoding ({@code [key value]} tuples; see docs/linearizability.md).
 */
final class KvWorkload implements Workload {
    private static final Keyword COMPARE = Keyword.of("compare");
    private static final Keyword THEN = Keyword.of("then");
    private static final Keyword ELSE = Keyword.of("else");
    private static final Keyword SUCCEEDED = Keyword.of("succeeded");
    private static final Keyword VALUE = Keyword.of("value");
    private static final Keyword VERSION = Keyword.of("version");

    private final int keys;
    private final int values;
    private final Map<Object, Object> data = new HashMap<>();
    private final Map<Object, Long> versions = new HashMap<>();
    /** The value most recently chosen for each key, so that a cas usually names a value the key really had. */
    private final Map<Object, Object> lastInvented = new HashMap<>();

    KvWorkload(int keys, int values) {
        this.keys = keys;
        this.values = values;
    }

    @Override
    public Invocation invent(SplittableRandom random) {
        String key = "k" + random.nextInt(keys);
        int dice = random.nextInt(100);
        if (dice < 45) {
            return new Invocation("get", Arrays.asList(key, null));
        }
        if (dice < 75) {
            return new Invocation("put", List.of(key, value(key, random)));
        }
        if (dice < 82) {
            return new Invocation("delete", Arrays.asList(key, null));
        }
        if (dice < 92) {
            Object expected = random.nextInt(4) == 0 ? null : lastInvented.get(key);
            return new Invocation("cas", List.of(key, Arrays.asList(expected, value(key, random))));
        }
        Map<Object, Object> txn = new LinkedHashMap<>();
        txn.put(COMPARE, List.of(VERSION, Keyword.of("="), (long) random.nextInt(3)));
        txn.put(THEN, List.of(List.of(Keyword.of("put"), value(key, random))));
        txn.put(ELSE, List.of(List.of(Keyword.of("get"))));
        return new Invocation("txn", List.of(key, txn));
    }

    @Override
    public Result apply(Invocation invocation) {
        List<?> tuple = (List<?>) invocation.value();
        Object key = tuple.get(0);
        Object arg = tuple.get(1);
        switch (invocation.f()) {
            case "get":
                return ok(key, data.get(key));
            case "put":
                put(key, arg);
                return ok(key, arg);
            case "delete":
                boolean existed = data.remove(key) != null;
                versions.remove(key);
                return ok(key, existed ? 1L : 0L);
            case "cas":
                List<?> cas = (List<?>) arg;
                if (!java.util.Objects.equals(data.get(key), cas.get(0))) {
                    return new Result(false, invocation.value());
                }
                put(key, cas.get(1));
                return ok(key, cas);
            default:
                return ok(key, txn(key, (Map<?, ?>) arg));
        }
    }

    private Map<Object, Object> txn(Object key, Map<?, ?> txn) {
        long version = versions.getOrDefault(key, 0L);
        boolean succeeded = version == (Long) ((List<?>) txn.get(COMPARE)).get(2);
        Map<Object, Object> done = new LinkedHashMap<>(txn);
        if (succeeded) {
            put(key, ((List<?>) ((List<?>) txn.get(THEN)).get(0)).get(1));
        } else {
            Map<Object, Object> seen = new LinkedHashMap<>();
            seen.put(VALUE, data.get(key));
            seen.put(VERSION, version);
            done.put(ELSE, List.of(List.of(Keyword.of("get"), seen)));
        }
        done.put(SUCCEEDED, succeeded);
        return done;
    }

    private void put(Object key, Object value) {
        data.put(key, value);
        versions.merge(key, 1L, Long::sum);
    }

    private Object value(Object key, SplittableRandom random) {
        Object value = (long) random.nextInt(values);
        lastInvented.put(key, value);
        return value;
    }

    private static Result ok(Object key, Object value) {
        return new Result(true, Arrays.asList(key, value));
    }
}
