package dev.keel.linearizability.edn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdnReaderTest {
    @Test
    void readsScalars() {
        assertNull(EdnReader.readOne("nil"));
        assertEquals(true, EdnReader.readOne("true"));
        assertEquals(-42L, EdnReader.readOne("-42"));
        assertEquals(7L, EdnReader.readOne("+7"));
        assertEquals(7L, EdnReader.readOne("7N"), "integers that fit are longs whatever their suffix");
        assertEquals(new BigInteger("123456789012345678901234567890"),
                EdnReader.readOne("123456789012345678901234567890"));
        assertEquals(1.5, EdnReader.readOne("1.5"));
        assertEquals(1e3, EdnReader.readOne("1e3"));
        assertEquals(new BigDecimal("1.50"), EdnReader.readOne("1.50M"));
        assertEquals("a \"quoted\"\n\tstring é", EdnReader.readOne("\"a \\\"quoted\\\"\\n\\tstring \\u00e9\""));
        assertEquals('x', EdnReader.readOne("\\x"));
        assertEquals('\n', EdnReader.readOne("\\newline"));
        assertEquals(Keyword.of("nemesis"), EdnReader.readOne(":nemesis"));
        assertEquals(Keyword.of("jepsen/op"), EdnReader.readOne(":jepsen/op"));
        assertEquals(new Symbol("foo"), EdnReader.readOne("foo"));
    }

    @Test
    void readsCollectionsCommentsAndDiscards() {
        Object value = EdnReader.readOne("""
                ; a comment
                {:a [1, 2 (3 nil)] ; trailing comment
                 :b #{:x} #_ :ignored #_ [1 2]
                 :c {"k" 1}}""");
        assertEquals(Map.of(Keyword.of("a"), List.of(1L, 2L, Arrays.asList(3L, null)),
                Keyword.of("b"), Set.of(Keyword.of("x")), Keyword.of("c"), Map.of("k", 1L)), value);
    }

    @Test
    void keepsTaggedElements() {
        assertEquals(new Tagged("inst", "2024-01-01T00:00:00Z"), EdnReader.readOne("#inst \"2024-01-01T00:00:00Z\""));
        Object record = EdnReader.readOne("#jepsen.history.Op{:index 0}");
        assertEquals(new Tagged("jepsen.history.Op", Map.of(Keyword.of("index"), 0L)), record);
    }

    @Test
    void readsSequencesInEitherShapeWithPositions() {
        List<Located> wrapped = EdnReader.readSequence("[{:a 1}\n {:a 2}]");
        assertEquals(2, wrapped.size());
        assertEquals(2, wrapped.get(1).line());
        assertEquals(2, wrapped.get(1).column());
        List<Located> lines = EdnReader.readSequence("; history\n{:a 1}\n{:a 2}\n");
        assertEquals(List.of(2, 3), lines.stream().map(Located::line).toList());
        assertEquals(0, EdnReader.readSequence("  ; nothing\n").size());
    }

    @Test
    void malformedInputNamesLineAndColumn() {
        assertError("[{:a 1}\n {:a \"open]", "line 2, column 6: unterminated string");
        assertError("{:a 1\n", "line 1, column 1: missing '}'");
        assertError("[1 2]]", "line 1, column 6: unexpected text after the value");
        assertError("[1 2)", "line 1, column 5: unexpected ')'");
        assertError("{:a}", "line 1, column 1: the map opened here has a key without a value");
        assertError("{:a 1 :a 2}", "has the key :a twice");
        assertError("1/2", "ratios");
        assertError("\"\\q\"", "unknown escape");
        assertError("#?(:clj 1)", "unsupported dispatch");
        assertError("\n\n   ::kw", "line 3, column 4: invalid keyword");
        assertError("[#_]", "'#_' must be followed by a value");
        assertError("1 2", "unexpected text after the value");
        assertError("[".repeat(300), "nested more than");
    }

    @Test
    void writesWhatItReads() {
        String text = "[nil true -3 1.5 \"s\\n\" \\c :k sym {:a [1 2], \"b\" #{3}} #inst \"x\""
                + " 99999999999999999999N 2.5M]";
        Object value = EdnReader.readOne(text);
        assertEquals(value, EdnReader.readOne(EdnWriter.write(value)));
    }

    @Test
    void normalizesJavaIntegersToLongs() {
        assertEquals(List.of(1L, Map.of(2L, 3L)), EdnValues.normalize(List.of(1, Map.of(2, (short) 3))));
        List<Long> already = List.of(1L);
        assertTrue(already == EdnValues.normalize(already), "unchanged values are returned as they are");
    }

    private static void assertError(String text, String expected) {
        EdnException e = assertThrows(EdnException.class, () -> EdnReader.readOne(text));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void readingFromAReaderInSmallPiecesGivesWhatReadingTheWholeTextGives() {
        StringBuilder text = new StringBuilder("\uFEFF; a history longer than the reader's window\n[");
        for (int i = 0; i < 20_000; i++) {
            text.append("{:process ").append(i % 7).append(", :f :write, :value [\"key-").append(i % 13)
                    .append("\" ").append(i).append(" \"").append("long string ".repeat(i % 5)).append("\"]}")
                    .append(i % 3 == 0 ? "\n " : " ");
        }
        text.append("]\n");
        List<Located> whole = EdnReader.readSequence(text.toString());
        List<Located> streamed = new java.util.ArrayList<>();
        EdnReader.readSequence(new TrickleReader(text.toString(), 7), streamed::add);
        assertEquals(20_000, whole.size());
        assertEquals(whole, streamed);

        java.io.Reader broken = new TrickleReader("[{:a 1}\n {:b \"unterminated}]", 3);
        EdnException e = assertThrows(EdnException.class, () -> EdnReader.readSequence(broken, v -> { }));
        assertEquals("line 2, column 6: unterminated string", e.getMessage());
    }

    /** Hands out at most {@code piece} characters per read, as a slow pipe would. */
    private static final class TrickleReader extends java.io.Reader {
        private final String text;
        private final int piece;
        private int at;

        TrickleReader(String text, int piece) {
            this.text = text;
            this.piece = piece;
        }

        @Override
        public int read(char[] into, int offset, int length) {
            if (at == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(length, piece), text.length() - at);
            text.getChars(at, at + n, into, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
