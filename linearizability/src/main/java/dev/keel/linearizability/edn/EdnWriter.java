package dev.keel.linearizability.edn;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the Java values {@link EdnReader} produces back as EDN text that Clojure (and so Jepsen and Knossos)
 * reads to equal values. Lists are written as vectors; Clojure considers the two equal.
 */
public final class EdnWriter {
    private EdnWriter() {
    }

    /**
     * @param value a value built from the types {@link EdnReader} documents
     * @return its EDN text
     * @throws IllegalArgumentException if the value contains a type EDN cannot express
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Appends the EDN text of {@code value} to {@code out}; see {@link #write(Object)}. */
    public static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("nil");
        } else if (value instanceof String) {
            writeString((String) value, out);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof Boolean || value instanceof Keyword
                || value instanceof Symbol) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(((Number) value).doubleValue(), out);
        } else if (value instanceof BigInteger) {
            out.append(value).append('N');
        } else if (value instanceof BigDecimal) {
            out.append(((BigDecimal) value).toPlainString()).append('M');
        } else if (value instanceof Character) {
            writeChar((Character) value, out);
        } else if (value instanceof Map) {
            writeMap((Map<?, ?>) value, out);
        } else if (value instanceof List) {
            writeItems("[", (List<?>) value, "]", out);
        } else if (value instanceof Set) {
            writeItems("#{", (Set<?>) value, "}", out);
        } else if (value instanceof Tagged) {
            Tagged tagged = (Tagged) value;
            out.append('#').append(tagged.tag()).append(' ');
            write(tagged.value(), out);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getSimpleName() + " as EDN: "
                    + value);
        }
    }

    private static void writeItems(String open, Collection<?> items, String close, StringBuilder out) {
        out.append(open);
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            write(it.next(), out);
            if (it.hasNext()) {
                out.append(' ');
            }
        }
        out.append(close);
    }

    private static void writeMap(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            write(entry.getKey(), out);
            out.append(' ');
            write(entry.getValue(), out);
        }
        out.append('}');
    }

    private static void writeDouble(double d, StringBuilder out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("EDN has no portable spelling for " + d);
        }
        out.append(d);
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\t': out.append("\\t"); break;
                case '\r': out.append("\\r"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static void writeChar(char c, StringBuilder out) {
        switch (c) {
            case '\n': out.append("\\newline"); break;
            case ' ': out.append("\\space"); break;
            case '\t': out.append("\\tab"); break;
            case '\r': out.append("\\return"); break;
            case '\b': out.append("\\backspace"); break;
            case '\f': out.append("\\formfeed"); break;
            default:
                if (c < 0x20 || Character.isWhitespace(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append('\\').append(c);
                }
        }
    }
}
