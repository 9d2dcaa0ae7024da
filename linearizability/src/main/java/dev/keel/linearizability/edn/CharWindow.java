package dev.keel.linearizability.edn;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * The part of the EDN input the reader is working on, filled from a {@link Reader} as it goes, so a big history
 * never has to be in memory as one string. Positions are indexes into {@link #chars}; {@link #discardBefore}
 * drops what the reader has finished with (between the values of a sequence) and shifts what is left down.
 */
final class CharWindow {
    private static final int INITIAL_SIZE = 1 << 16;

    private final Reader in;
    /** The characters; valid in {@code [0, limit)}. Replaced when it grows, so read it through the field. */
    char[] chars;
    private int limit;
    private boolean eof;

    private CharWindow(Reader in, char[] chars, int limit, boolean eof) {
        this.in = in;
        this.chars = chars;
        this.limit = limit;
        this.eof = eof;
    }

    /** @return a window holding all of {@code text} at once */
    static CharWindow of(String text) {
        return new CharWindow(null, text.toCharArray(), text.length(), true);
    }

    /** @return a window that reads {@code in} as needed */
    static CharWindow of(Reader in) {
        return new CharWindow(in, new char[INITIAL_SIZE], 0, false);
    }

    /**
     * @return whether position {@code i} holds a character, reading more input if needed
     * @throws UncheckedIOException if reading fails
     */
    boolean has(int i) {
        return i < limit || fill(i);
    }

    /** @return the characters in {@code [start, end)}, all of which must be present */
    String text(int start, int end) {
        return new String(chars, start, end - start);
    }

    /**
     * Drops the characters before {@code position} when that frees a good part of the window.
     *
     * @return how far positions moved down (0 if nothing was dropped)
     */
    int discardBefore(int position) {
        if (in == null || position < chars.length / 2) {
            return 0; // copying only when half the window is done keeps the cost linear
        }
        System.arraycopy(chars, position, chars, 0, limit - position);
        limit -= position;
        return position;
    }

    private boolean fill(int i) {
        try {
            while (i >= limit && !eof) {
                if (limit == chars.length) {
                    char[] bigger = new char[chars.length * 2]; // one value larger than the window: grow it
                    System.arraycopy(chars, 0, bigger, 0, limit);
                    chars = bigger;
                }
                int n = in.read(chars, limit, chars.length - limit);
                if (n < 0) {
                    eof = true;
                } else {
                    limit += n;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return i < limit;
    }
}
