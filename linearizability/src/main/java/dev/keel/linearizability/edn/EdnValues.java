package dev.keel.linearizability.edn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Helpers for the Java values that stand for EDN values. */
public final class EdnValues {
    private EdnValues() {
    }

    /**
     * Brings a value built in Java to the form {@link EdnReader} produces, so that values compare as Clojure
     * would compare them: {@code Integer 1} and {@code Long 1} are the same EDN number, so smaller integer types
     * become {@link Long}, recursively inside collections. Returns the same object when nothing changes, which
     * is the common case for values read from EDN.
     */
    public static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof List) {
            return normalizeList((List<?>) value);
        }
        if (value instanceof Map) {
            return normalizeMap((Map<?, ?>) value);
        }
        if (value instanceof Set) {
            return normalizeSet((Set<?>) value);
        }
        return value;
    }

    /** @return {@code value} as a list of exactly {@code size} elements, or {@code null} if it is not one */
    public static List<?> tuple(Object value, int size) {
        if (value instanceof List && ((List<?>) value).size() == size) {
            return (List<?>) value;
        }
        return null;
    }

    private static Object normalizeList(List<?> list) {
        List<Object> out = null;
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            Object normal = normalize(item);
            if (normal != item && out == null) {
                out = new ArrayList<>(list.subList(0, i));
            }
            if (out != null) {
                out.add(normal);
            }
        }
        return out == null ? list : Collections.unmodifiableList(out);
    }

    private static Object normalizeMap(Map<?, ?> map) {
        boolean changed = false;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            changed |= normalize(e.getKey()) != e.getKey() || normalize(e.getValue()) != e.getValue();
        }
        if (!changed) {
            return map; // the common case: no copy
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(normalize(k), normalize(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Object normalizeSet(Set<?> set) {
        boolean changed = false;
        Set<Object> out = new LinkedHashSet<>();
        for (Object item : set) {
            Object normal = normalize(item);
            changed |= normal != item;
            out.add(normal);
        }
        return changed ? Collections.unmodifiableSet(out) : set;
    }
}
