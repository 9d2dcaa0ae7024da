package dev.keel.node.gateway;

/**
 * Splits a request body into its top-level JSON values, as Go's {@code json.Decoder} reads a stream of them (a
 * watch or keepalive body may carry several; a unary call reads the first and ignores what follows). Only the
 * value boundaries are found here; the values are parsed afterwards.
 */
final class JsonValues {
    private final String text;
    private int position;

    JsonValues(String text) {
        this.text = text;
    }

    /**
     * @return the next value's text, or null when only whitespace is left
     * @throws GatewayJsonException "unexpected EOF" when the body ends inside a value, as Go says
     */
    String next() {
        position = skipSpace(position);
        if (position >= text.length()) {
            return null;
        }
        int start = position;
        position = valueEnd(start);
        return text.substring(start, position);
    }

    /** @return whether another value follows (whitespace aside) */
    boolean hasNext() {
        position = skipSpace(position);
        return position < text.length();
    }

    private int valueEnd(int i) {
        char c = text.charAt(i);
        if (c == '{' || c == '[') {
            return compositeEnd(i);
        }
        if (c == '"') {
            return stringEnd(i);
        }
        int j = i;
        while (j < text.length() && "{}[],:\" \t\r\n".indexOf(text.charAt(j)) < 0) {
            j++;
        }
        return j == i ? i + 1 : j;
    }

    private int compositeEnd(int i) {
        int depth = 0;
        for (int j = i; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '"') {
                j = stringEnd(j) - 1;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return j + 1;
                }
            }
        }
        throw new GatewayJsonException("unexpected EOF");
    }

    private int stringEnd(int i) {
        for (int j = i + 1; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
        throw new GatewayJsonException("unexpected EOF");
    }

    private int skipSpace(int i) {
        while (i < text.length() && " \t\r\n".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }
}
