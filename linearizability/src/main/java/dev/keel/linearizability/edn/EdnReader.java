package dev.keel.linearizability.edn;

import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads EDN (the data notation Jepsen and Knossos write histories in) into plain Java values:
 * {@code nil} → {@code null}, booleans → {@link Boolean}, integers → {@link Long} (or {@link BigInteger} when
 * they do not fit or carry an {@code N}), decimals → {@link Double} (or {@link BigDecimal} with {@code M}),
 * strings → {@link String}, characters → {@link Character}, keywords → {@link Keyword}, symbols →
 * {@link Symbol}, vectors and lists → unmodifiable {@link List}, maps → unmodifiable insertion-ordered
 * {@link Map}, sets → unmodifiable {@link Set}, tagged elements → {@link Tagged}.
 *
 * <p>Commas are whitespace, {@code ;} starts a comment to the end of the line and {@code #_} discards the next
 * form, as in Clojure. A leading byte order mark is skipped. Every problem is reported as an {@link EdnException} naming the line and column.
 */
public final class EdnReader {
    /** Deep enough for any history, shallow enough that hostile input cannot overflow the stack. */
    private static final int MAX_DEPTH = 256;

    private final CharWindow window;
    /** Strings up to this long are interned; longer ones rarely repeat. */
    private static final int SHORT_STRING = 32;

    private final InternTable<Keyword> keywords = new InternTable<>(Keyword::new, Keyword::name);
    private final InternTable<String> strings = new InternTable<>(s -> s, s -> s);
    private int pos;
    private int line = 1;
    private int lineStart;
    private int depth;

    private EdnReader(CharWindow window) {
        this.window = window;
        if (window.has(0) && window.chars[0] == '\uFEFF') {
            pos = 1; // a UTF-8 byte order mark, as some Windows editors write: not part of the data
            lineStart = 1;
        }
    }

    /**
     * Reads exactly one value, e.g. a {@code --init} argument.
     *
     * @throws EdnException if the text is not exactly one well-formed EDN value
     */
    public static Object readOne(String text) {
        EdnReader reader = new EdnReader(CharWindow.of(text));
        reader.skipSpace();
        if (reader.atEnd()) {
            throw reader.error("expected a value but the input is empty");
        }
        Object value = reader.readValue();
        reader.skipSpace();
        if (!reader.atEnd()) {
            throw reader.error("unexpected text after the value");
        }
        return value;
    }

    /**
     * Reads a sequence of values the way history files come: either one top-level vector or list whose elements
     * are the values (Knossos' test files), or any number of top-level values (Jepsen's {@code history.edn},
     * one map per line).
     *
     * @return the values with where each one starts
     * @throws EdnException on malformed input
     */
    public static List<Located> readSequence(String text) {
        List<Located> values = new ArrayList<>();
        readSequence(text, values::add);
        return values;
    }

    /**
     * Like {@link #readSequence(String)}, but hands each value over as soon as it is read, so a caller that
     * converts values on the fly never holds the whole sequence (big histories stay cheap for the collector).
     *
     * @throws EdnException on malformed input; values before the problem have been handed over already
     */
    public static void readSequence(String text, Consumer<Located> sink) {
        new EdnReader(CharWindow.of(text)).readSequence(sink);
    }

    /**
     * Like {@link #readSequence(String, Consumer)}, reading the text from {@code in} as it goes: only the value
     * being read is held, never the whole text.
     *
     * @throws EdnException on malformed input
     * @throws java.io.UncheckedIOException if reading fails (e.g. the bytes are not valid in the reader's charset)
     */
    public static void readSequence(Reader in, Consumer<Located> sink) {
        new EdnReader(CharWindow.of(in)).readSequence(sink);
    }

    private void readSequence(Consumer<Located> sink) {
        skipSpace();
        if (!atEnd() && (peek() == '[' || peek() == '(')) {
            char close = peek() == '[' ? ']' : ')';
            pos++;
            readLocatedUntil(close, sink);
            skipSpace();
            if (!atEnd()) {
                throw error("unexpected text after the top-level collection");
            }
            return;
        }
        readLocatedUntil((char) 0, sink);
    }

    /** Reads values until {@code close} (or the end of input when close is 0), recording where each starts. */
    private void readLocatedUntil(char close, Consumer<Located> into) {
        int openLine = line;
        int openColumn = column() - 1;
        while (true) {
            skipSpace();
            if (atEnd()) {
                if (close == 0) {
                    return;
                }
                throw new EdnException("missing '" + close + "' for the collection opened at line " + openLine
                        + ", column " + openColumn, line, column());
            }
            if (peek() == close) {
                pos++;
                return;
            }
            int shift = window.discardBefore(pos); // the values before are done: free their text
            pos -= shift;
            lineStart -= shift;
            int startLine = line;
            int startColumn = column();
            into.accept(new Located(readValue(), startLine, startColumn));
        }
    }

    private Object readValue() {
        char c = peek();
        switch (c) {
            case '[':
            case '(':
                pos++;
                return readList(c == '[' ? ']' : ')');
            case '{':
                pos++;
                return readMap();
            case '"':
                pos++;
                return readString();
            case '\\':
                pos++;
                return readChar();
            case '#':
                pos++;
                return readDispatch();
            case ']':
            case ')':
            case '}':
                throw error("unexpected '" + c + "' with no matching opening bracket");
            default:
                return readAtom();
        }
    }

    private List<Object> readList(char close) {
        List<Object> items = new ArrayList<>();
        readItems(close, items);
        return new EdnVector(items.toArray());
    }

    private Map<Object, Object> readMap() {
        int openLine = line;
        int openColumn = column() - 1;
        List<Object> items = new ArrayList<>();
        readItems('}', items);
        if (items.size() % 2 != 0) {
            throw new EdnException("the map opened here has a key without a value", openLine, openColumn);
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            if (map.containsKey(items.get(i))) {
                throw new EdnException("the map opened here has the key " + EdnWriter.write(items.get(i))
                        + " twice", openLine, openColumn);
            }
            map.put(items.get(i), items.get(i + 1));
        }
        return Collections.unmodifiableMap(map);
    }

    private void readItems(char close, List<Object> into) {
        int openLine = line;
        int openColumn = column() - 1;
        if (++depth > MAX_DEPTH) {
            throw error("collections are nested more than " + MAX_DEPTH + " deep");
        }
        while (true) {
            skipSpace();
            if (atEnd()) {
                throw new EdnException("missing '" + close + "' for the collection opened here", openLine,
                        openColumn);
            }
            if (peek() == close) {
                pos++;
                depth--;
                return;
            }
            into.add(readValue());
        }
    }

    private Object readDispatch() {
        if (atEnd()) {
            throw error("'#' at the end of the input");
        }
        char c = peek();
        if (c == '{') {
            pos++;
            List<Object> items = new ArrayList<>();
            readItems('}', items);
            Set<Object> set = new LinkedHashSet<>(items);
            return Collections.unmodifiableSet(set);
        }
        if (Character.isLetter(c)) {
            String tag = readToken();
            skipSpace();
            if (atEnd()) {
                throw error("the tag #" + tag + " must be followed by a value");
            }
            return new Tagged(tag, readValue());
        }
        throw error("unsupported dispatch '#" + c + "'");
    }

    private String readString() {
        int startLine = line;
        int startColumn = column() - 1;
        int end = pos;
        while (window.has(end) && window.chars[end] != '"' && window.chars[end] != '\\'
                && window.chars[end] != '\n') {
            end++;
        }
        if (window.has(end) && window.chars[end] == '"' && end - pos <= SHORT_STRING) {
            // Short plain strings (keys, mostly) repeat all over a history: share one instance per text.
            String interned = strings.intern(window.chars, pos, end);
            pos = end + 1;
            return interned;
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw new EdnException("unterminated string", startLine, startColumn);
            }
            char c = window.chars[pos++];
            if (c == '"') {
                return out.toString();
            }
            if (c == '\n') {
                newLine();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (atEnd()) {
                throw new EdnException("unterminated string", startLine, startColumn);
            }
            out.append(escape(window.chars[pos++]));
        }
    }

    private char escape(char c) {
        switch (c) {
            case 't': return '\t';
            case 'r': return '\r';
            case 'n': return '\n';
            case 'b': return '\b';
            case 'f': return '\f';
            case '\\': return '\\';
            case '"': return '"';
            case 'u': return readUnicode();
            default: throw error("unknown escape '\\" + c + "' in a string");
        }
    }

    private char readUnicode() {
        if (!window.has(pos + 3)) {
            throw error("'\\u' needs four hex digits");
        }
        String hex = window.text(pos, pos + 4);
        try {
            pos += 4;
            return (char) Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
            throw error("'\\u" + hex + "' is not four hex digits");
        }
    }

    private Character readChar() {
        if (atEnd()) {
            throw error("'\\' at the end of the input");
        }
        int start = pos;
        pos++;
        while (!atEnd() && !isDelimiter(peek())) {
            pos++;
        }
        String name = window.text(start, pos);
        if (name.length() == 1) {
            return name.charAt(0);
        }
        switch (name) {
            case "newline": return '\n';
            case "space": return ' ';
            case "tab": return '\t';
            case "return": return '\r';
            case "backspace": return '\b';
            case "formfeed": return '\f';
            default:
                if (name.length() == 5 && name.charAt(0) == 'u') {
                    try {
                        return (char) Integer.parseInt(name.substring(1), 16);
                    } catch (NumberFormatException ignored) {
                        // falls through to the error below
                    }
                }
                throw error("unknown character literal '\\" + name + "'");
        }
    }

    private Object readAtom() {
        Object fast = readPlainLongOrKeyword();
        if (fast != null) {
            return fast;
        }
        int startLine = line;
        int startColumn = column();
        String token = readToken();
        if (token.isEmpty()) {
            throw error("unexpected character '" + peek() + "'");
        }
        char first = token.charAt(0);
        if (Character.isDigit(first) || (token.length() > 1 && (first == '-' || first == '+')
                && Character.isDigit(token.charAt(1)))) {
            return EdnNumbers.parse(token, startLine, startColumn);
        }
        if (first == ':') {
            if (token.length() == 1 || token.charAt(1) == ':') {
                throw new EdnException("invalid keyword '" + token + "'", startLine, startColumn);
            }
            return keywords.intern(token.toCharArray(), 1, token.length());
        }
        switch (token) {
            case "nil": return null;
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            default: return new Symbol(token);
        }
    }

    /**
     * The fast path for what histories are mostly made of: plain integers and keywords, read without building a
     * token string first.
     *
     * @return the value, or {@code null} (position unchanged) if the token is anything else
     */
    private Object readPlainLongOrKeyword() {
        int start = pos;
        int end = start;
        while (window.has(end) && !isDelimiter(window.chars[end])) {
            end++;
        }
        char first = window.chars[start];
        if (first == ':' && end - start > 1 && window.chars[start + 1] != ':') {
            pos = end;
            return keywords.intern(window.chars, start + 1, end);
        }
        boolean negative = first == '-';
        int digits = negative ? start + 1 : start;
        if (end - digits < 1 || end - digits > 18) {
            return null;
        }
        long value = 0;
        for (int i = digits; i < end; i++) {
            char c = window.chars[i];
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        pos = end;
        return negative ? -value : value;
    }

    private String readToken() {
        int start = pos;
        while (!atEnd() && !isDelimiter(peek())) {
            pos++;
        }
        return window.text(start, pos);
    }

    private void skipSpace() {
        while (!atEnd()) {
            char c = peek();
            if (c == '\n') {
                pos++;
                newLine();
            } else if (c == ';') {
                while (!atEnd() && peek() != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c) || c == ',') {
                pos++;
            } else if (c == '#' && window.has(pos + 1) && window.chars[pos + 1] == '_') {
                discardNext();
            } else {
                return;
            }
        }
    }

    /** {@code #_} discards the next form, so to everything around it the pair reads as whitespace. */
    private void discardNext() {
        pos += 2;
        skipSpace();
        if (atEnd() || isClosing(peek())) {
            throw error("'#_' must be followed by a value to discard");
        }
        readValue();
    }

    private static boolean isDelimiter(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '[' || c == ']' || c == '(' || c == ')' || c == '{'
                || c == '}' || c == '"' || c == ';' || c == '\\';
    }

    private static boolean isClosing(char c) {
        return c == ']' || c == ')' || c == '}';
    }

    private void newLine() {
        line++;
        lineStart = pos;
    }

    private boolean atEnd() {
        return !window.has(pos);
    }

    private char peek() {
        return window.chars[pos];
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private EdnException error(String problem) {
        return new EdnException(problem, line, column());
    }
}
