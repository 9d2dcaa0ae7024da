package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnWriter;
import java.util.List;
import java.util.Map;

/** The built-in models by the names Knossos (and the CLI's {@code --model}) give them. */
public final class Models {
    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("cas-register", "register", "mutex", "multi-register", "kv");

    private Models() {
    }

    /**
     * @param name    one of {@link #NAMES}
     * @param initial the initial value as EDN would give it ({@code null} for the model's default): a register's
     *                value, {@code true} for a mutex that starts held, a map for a multi-register, each key's value
     *                for kv
     * @return the model
     * @throws IllegalArgumentException for an unknown name or an initial value the model cannot start from
     */
    public static Model<?> byName(String name, Object initial) {
        switch (name) {
            case "cas-register":
                return RegisterModel.casRegister(initial);
            case "register":
                return RegisterModel.register(initial);
            case "mutex":
                if (initial != null && !(initial instanceof Boolean)) {
                    throw new IllegalArgumentException("a mutex starts free (false) or held (true), not "
                            + EdnWriter.write(initial));
                }
                return new MutexModel(Boolean.TRUE.equals(initial));
            case "multi-register":
                if (initial != null && !(initial instanceof Map)) {
                    throw new IllegalArgumentException("a multi-register starts from a map such as {:x 0 :y 0}, not "
                            + EdnWriter.write(initial));
                }
                return new MultiRegisterModel((Map<?, ?>) initial);
            case "kv":
                return kv(initial);
            default:
                throw new IllegalArgumentException("unknown model '" + name + "'; choose one of "
                        + String.join(", ", NAMES));
        }
    }

    /**
     * @param initialValue every key's value before the history, {@code null} for absent keys
     * @return the etcd-style kv model: values {@code [key v]}, checked key by key with {@link KvKeyModel}
     */
    public static IndependentModel<KvState> kv(Object initialValue) {
        return new IndependentModel<>("kv", new KvKeyModel(initialValue));
    }

    /**
     * @return Jepsen's {@code independent} lifting of {@code perKey}: values {@code [key v]}, checked key by key;
     *     a model that already splits by key is returned as it is
     */
    public static Model<?> independent(Model<?> perKey) {
        if (perKey instanceof Partitionable) {
            return perKey;
        }
        return new IndependentModel<>("independent " + perKey.name(), perKey);
    }
}
