package dev.keel.linearizability.gen;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a generated history as Jepsen EDN, for benchmarking keel-check on big files:
 * {@code java -cp linearizability/target/keel-check.jar dev.keel.linearizability.gen.GenerateHistory --workload kv
 * --operations 100000 --keys 100 --out kv-100k.edn}.
 */
@Command(name = "generate-history", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = 64,
        description = "Writes a generated, linearizable-by-construction history as Jepsen EDN.")
public final class GenerateHistory implements Callable<Integer> {
    @Option(names = "--workload", defaultValue = "kv",
            description = "register, cas-register, mutex, multi-register or kv (default ${DEFAULT-VALUE})")
    private String workload;

    @Option(names = "--operations", defaultValue = "100000", description = "default ${DEFAULT-VALUE}")
    private int operations;

    @Option(names = "--processes", defaultValue = "10", description = "concurrent clients (default ${DEFAULT-VALUE})")
    private int processes;

    @Option(names = "--keys", defaultValue = "100",
            description = "kv keys; for registers more than 1 writes [key value] tuples (default ${DEFAULT-VALUE})")
    private int keys;

    @Option(names = "--info", defaultValue = "0.05",
            description = "fraction of indeterminate (:info) operations (default ${DEFAULT-VALUE})")
    private double infoRate;

    @Option(names = "--values", defaultValue = "1000000000",
            description = "values are drawn from [0, VALUES); the default makes them practically unique")
    private int values;

    @Option(names = "--seed", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    private long seed;

    @Option(names = "--corrupt-read",
            description = "make one successful read return a value nobody wrote (not linearizable)")
    private boolean corrupt;

    @Option(names = "--out", required = true, description = "the EDN file to write")
    private Path out;

    /** Writes the history and exits 0, or 64 with a message on bad arguments. */
    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new GenerateHistory());
        commandLine.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() {
        try {
            History history = HistoryGenerator.generate(new HistoryGenerator.Spec(workload, operations, processes,
                    keys, infoRate, values, seed));
            if (corrupt) {
                history = HistoryCorruption.corruptOneRead(history, seed);
            }
            Files.writeString(out, JepsenEdn.write(history), StandardCharsets.UTF_8);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("generate-history: " + e.getMessage());
            return 64;
        }
    }
}
