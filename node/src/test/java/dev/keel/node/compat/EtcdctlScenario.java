package dev.keel.node.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted etcdctl session read from a resource: one command per line as typed after {@code etcdctl}, with
 * shell-like quoting ({@code ""} is an empty argument); {@code #} starts a comment line; a command ending in
 * {@code <<EOF} takes the following lines up to {@code EOF} as its standard input (blank lines included, as
 * {@code txn -i} needs them). {@code {m2}} stands for member m2's client endpoint and {@code {all}} for all of
 * them; {@code {id:m2}} for member m2's ID (hex) and {@code {snapshot}} for a snapshot file of the run's own;
 * without {@code --endpoints} a command goes to m1. The line {@code await-applied} is no etcdctl command:
 * it waits until every member applied everything, so followers' status is the same on every run.
 */
final class EtcdctlScenario {
    static final String AWAIT_APPLIED = "await-applied";
    /** Stands for a snapshot file path of the run's own (see {@link SessionRunner}). */
    static final String SNAPSHOT = "{snapshot}";
    private static final String HEREDOC = "<<EOF";

    /**
     * One step.
     *
     * @param line  1-based line number in the resource
     * @param text  the command as written (placeholders kept), which the transcript shows
     * @param args  the arguments, quoting resolved, placeholders not yet
     * @param stdin the standard input, or null
     */
    record Step(int line, String text, List<String> args, String stdin) {
        boolean awaitApplied() {
            return text.equals(AWAIT_APPLIED);
        }
    }

    private EtcdctlScenario() {
    }

    static List<Step> load(String resource) {
        try (InputStream in = EtcdctlScenario.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Step> parse(String script) {
        String[] lines = script.split("\n", -1);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String stdin = null;
            int start = i;
            if (line.endsWith(HEREDOC)) {
                line = line.substring(0, line.length() - HEREDOC.length()).strip();
                StringBuilder body = new StringBuilder();
                i++;
                while (i < lines.length && !lines[i].equals("EOF")) {
                    body.append(lines[i]).append('\n');
                    i++;
                }
                if (i == lines.length) {
                    throw new IllegalArgumentException("line " + (start + 1) + ": <<EOF without a closing EOF");
                }
                stdin = body.toString();
            }
            steps.add(new Step(start + 1, line, split(line, start + 1), stdin));
        }
        return steps;
    }

    /** Splits like a shell: whitespace separates, quotes group (and may be empty), backslash escapes in "". */
    static List<String> split(String line, int lineNumber) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("line " + lineNumber + ": unclosed quote in " + line);
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
