package dev.keel.harness.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Clock faults through libfaketime: each member's JVM is started with the library preloaded and a control file
 * of its own, whose content ({@code +1.500 x1.25}: an offset in seconds and a rate) libfaketime rereads at most
 * once a second. libfaketime 0.9.10 fakes both {@code System.currentTimeMillis} and {@code System.nanoTime}
 * (CLOCK_MONOTONIC) of a Java 17 JVM, and timed waits with them, so a jump moves Keel's ticks too, backwards
 * as well.
 *
 * <p>libfaketime computes a member's time as {@code processStart + offset + rate * (now - processStart)}; a new
 * rate therefore applies to the whole life of the process, which would jump the clock. To keep a rate change
 * smooth this class rebases the offset so the faked time is continuous at the moment of the change (within the
 * up to 1 s the library takes to reread the file, and the JVM's start-up before the library's clock begins).
 * A restart ({@link #environment} called again) keeps the member's skew and rate, as a real machine's clock
 * would. Thread-safe.
 */
public final class FaketimeClocks implements ClockControl {
    /** Where Debian and Ubuntu (package {@code libfaketime}) and a source install put the library. */
    static final List<Path> LIBRARY_CANDIDATES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/faketime/libfaketime.so.1"),
            Path.of("/usr/local/lib/faketime/libfaketime.so.1"));
    private static final Pattern SHARED_MEMORY = Pattern.compile("(faketime_shm_|sem\\.faketime_sem_)(\\d+)");

    private final Path dir;
    private final Optional<Path> library;
    private final Map<String, MemberClock> clocks = new HashMap<>();

    /** @param dir where the per-member control files go (created if missing) */
    public FaketimeClocks(Path dir) {
        this(dir, findLibrary());
    }

    FaketimeClocks(Path dir, Optional<Path> library) {
        this.dir = dir;
        this.library = library;
    }

    /** @return the first library found: the known places, then any multiarch folder {@code /usr/lib/<arch>} */
    static Optional<Path> findLibrary() {
        Optional<Path> known = LIBRARY_CANDIDATES.stream().filter(Files::isRegularFile).findFirst();
        if (known.isPresent()) {
            return known;
        }
        try (Stream<Path> arches = Files.list(Path.of("/usr/lib"))) {
            return arches.map(arch -> arch.resolve("faketime").resolve("libfaketime.so.1"))
                    .filter(Files::isRegularFile)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean supported() {
        return library.isPresent();
    }

    @Override
    public String unsupportedReason() {
        if (supported()) {
            return "";
        }
        return "libfaketime not found (looked for " + LIBRARY_CANDIDATES + " and /usr/lib/*/faketime); install "
                + "it, e.g. "
                + "apt-get install -y libfaketime";
    }

    /**
     * The environment a member's process needs to run under libfaketime; the cluster adds it to the process's
     * environment at every start of {@code memberName} (first start and restarts alike), right before starting
     * it. Empty when {@link #supported()} is false.
     */
    public Map<String, String> environment(String memberName) {
        if (!supported()) {
            return Map.of();
        }
        removeStaleSharedMemory();
        MemberClock clock;
        synchronized (this) {
            clock = clocks.computeIfAbsent(memberName, name -> new MemberClock(dir.resolve(name + ".faketime")));
            clock.restarted(System.nanoTime());
            write(clock);
        }
        return Map.of(
                "LD_PRELOAD", library.get().toString(),
                "FAKETIME_TIMESTAMP_FILE", clock.file.toAbsolutePath().toString(),
                // FAKETIME_NO_CACHE=1 rereads the file on every clock call: 60x slower nanoTime (measured)
                "FAKETIME_CACHE_DURATION", "1",
                // the offset and rate are written with '.', and libfaketime parses them in the process's locale
                "LC_NUMERIC", "C");
    }

    @Override
    public synchronized void jump(Member member, long millis) {
        MemberClock clock = clockOf(member);
        clock.offsetSeconds += millis / 1000.0;
        write(clock);
    }

    @Override
    public synchronized void rate(Member member, double rate) {
        if (!(rate > 0) || rate > 100) {
            throw new IllegalArgumentException("a clock rate is in (0, 100], got " + rate);
        }
        MemberClock clock = clockOf(member);
        double elapsed = clock.elapsedSeconds(System.nanoTime());
        clock.offsetSeconds += (clock.rate - rate) * elapsed; // faked time stays continuous at this moment
        clock.rate = rate;
        write(clock);
    }

    @Override
    public synchronized void reset(Member member) {
        MemberClock clock = clockOf(member);
        clock.offsetSeconds = 0;
        clock.rate = 1.0;
        write(clock);
    }

    /** @return the control file's content for {@code memberName}, e.g. {@code +1.500 x1.250000} */
    synchronized String spec(String memberName) {
        MemberClock clock = clocks.get(memberName);
        return clock == null ? null : clock.spec();
    }

    private MemberClock clockOf(Member member) {
        if (!supported()) {
            throw new IllegalStateException(unsupportedReason());
        }
        MemberClock clock = clocks.get(member.name());
        if (clock == null) {
            throw new IllegalStateException("member " + member.name() + " was not started with "
                    + "FaketimeClocks.environment, so its clock cannot be changed");
        }
        return clock;
    }

    private void write(MemberClock clock) {
        try {
            Files.createDirectories(dir);
            Path temp = clock.file.resolveSibling(clock.file.getFileName() + ".tmp");
            Files.writeString(temp, clock.spec() + "\n", StandardCharsets.US_ASCII);
            // atomically, so libfaketime never reads a half-written spec
            Files.move(temp, clock.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the clock control file " + clock.file, e);
        }
    }

    /**
     * libfaketime keeps a shared-memory segment and a semaphore per process in /dev/shm and removes them only on
     * a clean exit; after a SIGKILL they stay, and a later process that gets the same pid fails with
     * "shm_open failed: File exists". Removes the ones whose process is gone.
     */
    private static void removeStaleSharedMemory() {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return;
        }
        try (Stream<Path> entries = Files.list(shm)) {
            entries.forEach(entry -> {
                var matcher = SHARED_MEMORY.matcher(entry.getFileName().toString());
                if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(2))).isEmpty()) {
                    try {
                        Files.deleteIfExists(entry);
                    } catch (IOException e) {
                        // another process may own it or have removed it meanwhile; not ours to insist on
                    }
                }
            });
        } catch (IOException e) {
            // /dev/shm not listable: leave it; libfaketime reports a clash itself
        }
    }

    /** One member's faked clock: libfaketime's offset and rate, counted from the process's start. */
    private static final class MemberClock {
        final Path file;
        long processStartNanos;
        double offsetSeconds;
        double rate = 1.0;

        MemberClock(Path file) {
            this.file = file;
        }

        double elapsedSeconds(long nowNanos) {
            return (nowNanos - processStartNanos) / 1e9;
        }

        /** A new process: its time starts from its own start, so carry the skew over as the offset. */
        void restarted(long nowNanos) {
            if (processStartNanos != 0) {
                offsetSeconds += (rate - 1.0) * elapsedSeconds(nowNanos);
            }
            processStartNanos = nowNanos;
        }

        String spec() {
            return String.format(Locale.ROOT, "%+.3f x%.6f", offsetSeconds, rate);
        }
    }
}
