package dev.keel.linearizability.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a batch's {@code --html DIR} puts each history's report: {@code DIR/NAME.html} after the file's name
 * without {@code .edn}. Histories with the same file name (Jepsen keeps every test's {@code history.edn} in its
 * own directory) get as many parent directories prepended as it takes to tell them apart, joined by {@code -}:
 * {@code store/t1/history.edn} and {@code store/t2/history.edn} become {@code t1-history.html} and
 * {@code t2-history.html}.
 */
final class ReportNames {
    private ReportNames() {
    }

    /** @return why {@code dir} cannot hold the reports, or {@code null} if it can */
    static String problem(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "--html " + dir + ": with several histories --html names a directory for their reports, and "
                    + dir + (Files.exists(dir) ? " is not one" : " does not exist (create it: mkdir -p " + dir + ")");
        }
        return Files.isWritable(dir) ? null : "--html " + dir + " is not writable";
    }

    /** @return each input's report file in {@code dir}, in the inputs' order, all distinct */
    static List<Path> assign(List<Input> inputs, Path dir) {
        String[] names = new String[inputs.size()];
        int assigned = 0;
        for (int depth = 1; assigned < names.length; depth++) {
            Map<String, Integer> uses = new HashMap<>();
            for (Input input : inputs) {
                uses.merge(name(input, depth), 1, Integer::sum);
            }
            for (int i = 0; i < names.length; i++) {
                String name = name(inputs.get(i), depth);
                if (names[i] == null && (uses.get(name) == 1 || depth > segments(inputs.get(i)))) {
                    names[i] = name;
                    assigned++;
                }
            }
        }
        // Names of different depths can still meet (a/t1-history.edn, t1/history.edn), as can a file given twice.
        Set<String> taken = new HashSet<>();
        List<Path> paths = new ArrayList<>();
        for (String name : names) {
            String unique = name;
            for (int n = 2; !taken.add(unique); n++) {
                unique = name + "-" + n;
            }
            paths.add(dir.resolve(unique + ".html"));
        }
        return paths;
    }

    /** @return the last {@code depth} path segments without {@code .edn}, joined by {@code -} */
    private static String name(Input input, int depth) {
        if (input.isStdin()) {
            return "stdin";
        }
        Path path = input.path().toAbsolutePath().normalize();
        int count = path.getNameCount();
        StringBuilder name = new StringBuilder();
        for (int i = Math.max(0, count - depth); i < count; i++) {
            name.append(name.length() == 0 ? "" : "-").append(path.getName(i));
        }
        String text = name.toString();
        return text.endsWith(".edn") ? text.substring(0, text.length() - 4) : text;
    }

    private static int segments(Input input) {
        return input.isStdin() ? 1 : input.path().toAbsolutePath().normalize().getNameCount();
    }
}
