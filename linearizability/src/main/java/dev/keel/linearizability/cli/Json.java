package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes EDN values as one line of JSON (RFC 8259): maps become objects (keyword keys by their name, so
 * {@code :valid?} is {@code "valid?"}; other keys as their EDN text), vectors, lists and sets arrays, keywords
 * and symbols strings without the colon, {@code nil} null; anything else JSON cannot express (tagged values,
 * characters) its EDN text as a string.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal) {
            out.append(((BigDecimal) value).toPlainString());
        } else if (value instanceof Double && !((Double) value).isNaN() && !((Double) value).isInfinite()) {
            out.append(value);
        } else if (value instanceof Double) {
            string(value.toString(), out); // NaN and the infinities are not JSON numbers
        } else if (value instanceof String) {
            string((String) value, out);
        } else if (value instanceof Keyword) {
            string(((Keyword) value).name(), out);
        } else if (value instanceof Map) {
            object((Map<?, ?>) value, out);
        } else if (value instanceof Collection) {
            array((Collection<?>) value, out);
        } else {
            string(EdnWriter.write(value), out); // symbols, characters, tagged values
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.append(first ? "" : ", ");
            first = false;
            Object key = entry.getKey();
            string(key instanceof Keyword ? ((Keyword) key).name()
                    : key instanceof String ? (String) key : EdnWriter.write(key), out);
            out.append(": ");
            write(entry.getValue(), out);
        }
        out.append('}');
    }

    private static void array(Collection<?> items, StringBuilder out) {
        out.append('[');
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            write(it.next(), out);
            out.append(it.hasNext() ? ", " : "");
        }
        out.append(']');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
