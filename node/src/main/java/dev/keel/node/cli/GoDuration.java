package dev.keel.node.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} forms that etcd's duration flags take ({@code 10m}, {@code 1h30m}, {@code 500ms}). */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * @return the duration in milliseconds (at least 1 for a positive duration)
     * @throws IllegalArgumentException naming {@code flag} when {@code text} is not a Go duration
     */
    static long millis(String text, String flag) {
        Matcher m = PART.matcher(text);
        double total = 0;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            total += n * switch (m.group(2)) {
                case "ns" -> 1e-6;
                case "us", "µs" -> 1e-3;
                case "ms" -> 1;
                case "s" -> 1e3;
                case "m" -> 60e3;
                default -> 3600e3;
            };
            at = m.end();
        }
        if (text.isEmpty() || at != text.length()) {
            throw new IllegalArgumentException("invalid argument \"" + text + "\" for \"" + flag
                    + "\" flag: time: invalid duration \"" + text + "\"");
        }
        return total <= 0 ? 0 : Math.max(1, (long) total);
    }
}
