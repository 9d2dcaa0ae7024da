package dev.keel.harness.nemesis;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nemesis's events as Jepsen writes them: {@code {:type :info, :f :start-partition, :value "...",
 * :process :nemesis, :time <nanos>}}, one map per line in a vector, with {@code :error} when the action threw.
 * The file is rewritten whole after every event (atomically), so it is valid EDN even if the run dies.
 * Thread-safe.
 */
final class NemesisRecord {
    private static final Keyword TYPE = Keyword.of("type");
    private static final Keyword F = Keyword.of("f");
    private static final Keyword VALUE = Keyword.of("value");
    private static final Keyword PROCESS = Keyword.of("process");
    private static final Keyword TIME = Keyword.of("time");
    private static final Keyword ERROR = Keyword.of("error");
    private static final Keyword INFO = Keyword.of("info");
    private static final Keyword NEMESIS = Keyword.of("nemesis");

    private final Path file;
    private final List<Map<Keyword, Object>> events = new ArrayList<>();

    NemesisRecord(Path file) {
        this.file = file;
        write();
    }

    /**
     * Appends one event and rewrites the file.
     *
     * @param f     e.g. {@code start-partition}
     * @param error null when the action succeeded
     */
    synchronized void add(String f, String value, long timeNanos, String error) {
        Map<Keyword, Object> event = new LinkedHashMap<>();
        event.put(TYPE, INFO);
        event.put(F, Keyword.of(f));
        event.put(VALUE, value);
        event.put(PROCESS, NEMESIS);
        event.put(TIME, timeNanos);
        if (error != null) {
            event.put(ERROR, error);
        }
        events.add(event);
        write();
    }

    private void write() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            out.append(i == 0 ? "" : "\n ");
            EdnWriter.write(events.get(i), out);
        }
        out.append("]\n");
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, out, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the nemesis record " + file, e);
        }
    }
}
