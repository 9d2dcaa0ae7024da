package dev.keel.benchmarks.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A generated block between two marker comments in a Markdown file: a new run replaces only the block, so the
 * hand-written text around it stays. A file without the markers gets the section and the block appended.
 *
 * @param section the section heading the block is appended under when the file has no block yet
 * @param begin   the opening marker line
 * @param end     the closing marker line
 */
public record DocBlock(String section, String begin, String end) {
    /** Replaces the block in {@code doc} with {@code body} (markers added), atomically. */
    public void write(Path doc, String body) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "# Benchmarks\n";
        String block = begin + "\n" + body + end;
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String updated = from >= 0 && to > from
                ? text.substring(0, from) + block + text.substring(to + end.length())
                : text.stripTrailing() + "\n\n" + section + "\n\n" + block + "\n";
        Path temp = doc.resolveSibling(doc.getFileName() + ".tmp");
        Files.writeString(temp, updated, StandardCharsets.UTF_8);
        Files.move(temp, doc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
