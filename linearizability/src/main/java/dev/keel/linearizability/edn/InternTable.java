package dev.keel.linearizability.edn;

import java.util.function.Function;

/**
 * Interns values made from a slice of the EDN text (keywords, short strings) without allocating a string per
 * occurrence: a history repeats a handful of keywords ({@code :type}, {@code :invoke}, ...) and keys hundreds of
 * thousands of times.
 *
 * @param <T> the interned type
 */
final class InternTable<T> {
    private final Function<String, T> create;
    private final Function<T, String> nameOf;
    private Object[] slots = new Object[64];
    private int size;

    /**
     * @param create makes a value from its text
     * @param nameOf gives back the text a value was made from
     */
    InternTable(Function<String, T> create, Function<T, String> nameOf) {
        this.create = create;
        this.nameOf = nameOf;
    }

    /** @return the value for {@code text[start, end)}, the same instance for the same text */
    @SuppressWarnings("unchecked")
    T intern(char[] text, int start, int end) {
        int length = end - start;
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + text[i]; // String.hashCode's formula, so grow() can use hashCode()
        }
        int mask = slots.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            T existing = (T) slots[i];
            if (existing == null) {
                T created = create.apply(new String(text, start, length));
                slots[i] = created;
                if (++size * 2 > slots.length) {
                    grow();
                }
                return created;
            }
            String name = nameOf.apply(existing);
            if (name.length() == length && matches(text, start, name)) {
                return existing;
            }
        }
    }

    private static boolean matches(char[] text, int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (text[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        Object[] old = slots;
        slots = new Object[old.length * 2];
        int mask = slots.length - 1;
        for (Object value : old) {
            if (value != null) {
                int i = spread(nameOf.apply((T) value).hashCode()) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = value;
            }
        }
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
