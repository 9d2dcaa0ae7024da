package dev.keel.benchmarks.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A generated block inside a hand-written document: everything from the begin marker to the end marker is
 * replaced, everything else is kept byte for byte. A document without the markers gets a new section with
 * the block at its end; one with a begin marker but no end marker after it is refused, so a damaged document
 * is never overwritten.
 *
 * @param begin   the first line of the block (an HTML comment, invisible in rendered Markdown)
 * @param end     the last line of the block
 * @param section the heading written before the block when the document has no block yet
 */
public record MarkedBlock(String begin, String end, String section) {
    /**
     * @param text  the document
     * @param body  the block's content, without markers
     * @return the document with the block replaced (or appended)
     * @throws IllegalArgumentException when the begin marker is there without an end marker after it
     */
    public String replaceIn(String text, String body) {
        String block = begin + "\n" + body.stripTrailing() + "\n" + end;
        int from = text.indexOf(begin);
        if (from < 0) {
            return text.stripTrailing() + "\n\n" + section + "\n\n" + block + "\n";
        }
        int to = text.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("the document has \"" + begin + "\" but no \"" + end
                    + "\" after it; restore the end marker");
        }
        return text.substring(0, from) + block + text.substring(to + end.length());
    }

    /** Rewrites {@code doc} with the block replaced, atomically (a temporary file renamed over it). */
    public void writeInto(Path doc, String body) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        String updated = replaceIn(text, body);
        Path temp = doc.resolveSibling(doc.getFileName() + ".tmp");
        Files.writeString(temp, updated, StandardCharsets.UTF_8);
        Files.move(temp, doc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
