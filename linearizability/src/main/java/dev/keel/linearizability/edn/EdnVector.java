package dev.keel.linearizability.edn;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The reader's immutable list: one object over an array, and {@code null} elements allowed ({@code List.of}
 * rejects them, and an unmodifiable view over an ArrayList costs two objects per vector; histories hold a few
 * hundred thousand small vectors).
 */
final class EdnVector extends AbstractList<Object> implements RandomAccess {
    private final Object[] items;

    EdnVector(Object[] items) {
        this.items = items;
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
