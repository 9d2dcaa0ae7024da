package dev.keel.node.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lease IDs of an etcdctl session, which differ between etcd and Keel as member IDs do: learnt from each
 * grant's output, in grant order, so that {@code {lease1}}, {@code {lease2}}... in a command stand for them and
 * every appearance (hex as etcdctl prints it, signed decimal in JSON and fields) is masked as
 * {@code <lease:1>}... Remaining TTLs of {@code lease timetolive} depend on timing and are masked when positive
 * (-1, "already expired", stays visible); {@code lease list}'s rows are put in mask order, since etcd lists
 * leases by expiry and Keel by ID.
 */
final class LeaseIds {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]{16}) granted with TTL");
    private static final Pattern JSON_GRANT = Pattern.compile("\"ID\":(-?\\d+),\"TTL\":-?\\d+,\"Error\"");
    private static final Pattern FIELDS_GRANT = Pattern.compile("\"ID\" : (-?\\d+)\\n\"TTL\" : -?\\d+\\s*$");
    private static final Pattern REMAINING = Pattern.compile("remaining\\(\\d+s\\)");
    private static final Pattern JSON_TTL = Pattern.compile("\"ttl\":[1-9]\\d*");
    private static final Pattern FIELDS_TTL = Pattern.compile("\"TTL\" : [1-9]\\d*");
    private static final Pattern ATTACHED = Pattern.compile("attached keys\\(\\[([^]]*)]\\)");
    private static final Pattern JSON_KEYS = Pattern.compile("\"keys\":\\[([^]]*)]");
    private final List<Long> ids = new ArrayList<>();

    /** @return {@code arg} with {@code {leaseN}} replaced by the N-th granted lease's ID, in hex */
    String resolve(String arg) {
        String out = arg;
        for (int i = ids.size(); i >= 1; i--) {
            out = out.replace("{lease" + i + "}", Long.toHexString(ids.get(i - 1)));
        }
        return out;
    }

    /** Learns the ID a {@code lease grant} printed (simple, JSON or fields output). */
    void learn(List<String> args, String stdout) {
        if (args.size() < 2 || !args.get(0).equals("lease") || !args.get(1).equals("grant")) {
            return;
        }
        Matcher m = GRANTED.matcher(stdout);
        if (m.find()) {
            ids.add(Long.parseUnsignedLong(m.group(1), 16));
            return;
        }
        m = JSON_GRANT.matcher(stdout);
        if (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
            return;
        }
        m = FIELDS_GRANT.matcher(stdout);
        if (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
    }

    /** @return {@code output} of {@code args} with lease IDs (and what timing decides) masked */
    String mask(List<String> args, String output) {
        String text = output;
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            String name = "<lease:" + (i + 1) + ">";
            for (String form : new String[]{String.format("%016x", id), Long.toHexString(id), Long.toString(id)}) {
                text = text.replaceAll("(?<![0-9A-Za-z])" + form + "(?![0-9A-Za-z])", Matcher.quoteReplacement(name));
            }
        }
        if (isLease(args, "timetolive")) {
            text = REMAINING.matcher(text).replaceAll("remaining(<ttl>)");
            text = JSON_TTL.matcher(text).replaceAll("\"ttl\":<ttl>");
            text = FIELDS_TTL.matcher(text).replaceAll("\"TTL\" : <ttl>");
            // etcd lists a lease's keys in Go map order (random); Keel in key order: compare them as sets.
            text = sortedItems(ATTACHED, text, " ", "attached keys([", "])");
            text = sortedItems(JSON_KEYS, text, ",", "\"keys\":[", "]");
        }
        if (isLease(args, "list") && text.startsWith("found ")) {
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            int last = lines.get(lines.size() - 1).isEmpty() ? lines.size() - 1 : lines.size();
            List<String> rows = new ArrayList<>(lines.subList(1, last));
            rows.sort(null);
            for (int i = 0; i < rows.size(); i++) {
                lines.set(1 + i, rows.get(i));
            }
            text = String.join("\n", lines);
        }
        return text;
    }

    private static String sortedItems(Pattern p, String text, String separator, String before, String after) {
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> items = new ArrayList<>(List.of(m.group(1).split(Pattern.quote(separator))));
            items.sort(null);
            m.appendReplacement(out, Matcher.quoteReplacement(before + String.join(separator, items) + after));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isLease(List<String> args, String subcommand) {
        return args.size() >= 2 && args.get(0).equals("lease") && args.get(1).equals(subcommand);
    }
}
