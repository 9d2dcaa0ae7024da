package dev.keel.linearizability.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the command line's FILE arguments into the histories to check: files as given, {@code -} for standard
 * input (at most once), and every {@code *.edn} file of a directory, sorted by name (Porcupine users keep a test
 * run's histories in one folder). A missing file stays in the list: it is reported as unreadable in its turn.
 */
final class Inputs {
    private Inputs() {
    }

    /**
     * @return the inputs in command-line order, directories expanded in place
     * @throws UsageProblem for {@code -} given twice, or a directory with no history in it
     */
    static List<Input> expand(List<String> arguments) {
        List<Input> inputs = new ArrayList<>();
        boolean stdin = false;
        for (String argument : arguments) {
            if (argument.equals("-")) {
                if (stdin) {
                    throw new UsageProblem("- (standard input) can be given only once");
                }
                stdin = true;
                inputs.add(Input.STDIN);
                continue;
            }
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                inputs.addAll(historiesIn(path));
            } else {
                inputs.add(new Input(path));
            }
        }
        return inputs;
    }

    /** @return whether the arguments ask for a batch run (several histories, or a directory of them) */
    static boolean isBatch(List<String> arguments) {
        return arguments.size() > 1 || Files.isDirectory(Path.of(arguments.get(0)));
    }

    private static List<Input> historiesIn(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.edn")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UsageProblem("cannot list the directory " + directory + ": " + FileCheck.describe(e));
        }
        if (files.isEmpty()) {
            throw new UsageProblem(directory + " is a directory with no *.edn files in it; give the histories"
                    + " or the directory that holds them");
        }
        files.sort(null);
        List<Input> inputs = new ArrayList<>();
        for (Path file : files) {
            inputs.add(new Input(file));
        }
        return inputs;
    }
}
