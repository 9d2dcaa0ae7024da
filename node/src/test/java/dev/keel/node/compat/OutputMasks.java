package dev.keel.node.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must differ between a Keel cluster and an etcd cluster answering the same session, and nothing
 * else: member and cluster IDs (each replaced by its member's name, so a wrong ID in the wrong place still
 * shows), loopback ports (by member name), the server version, database sizes, raft indexes (shown relative to
 * the index the cluster had before the session: etcd commits a few entries of its own at start-up that Keel does
 * not), etcdctl's own timings, timestamps and client UUIDs; and the order of {@code member list} rows, which
 * both sort by the (masked) ID. Tables are re-aligned, since masked cells change column widths.
 */
final class OutputMasks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TS = Pattern.compile("\"ts\":\"[^\"]*\"");
    private static final Pattern CLIENT_UUID = Pattern.compile("endpoint://client-[0-9a-f-]+/");
    private static final Pattern VERSION = Pattern.compile("\"version\":\"[^\"]*\"");
    private static final Pattern DB_SIZE = Pattern.compile("\"(dbSize|dbSizeInUse)\":\\d+");
    private static final Pattern RAFT_INDEX = Pattern.compile("\"(raftIndex|raftAppliedIndex)\":(\\d+)");
    private static final Pattern TOOK = Pattern.compile("took = \\S+");
    /** etcdctl's zap logs: a float timestamp, a measured size and duration (snapshot save, health -w json). */
    private static final Pattern TS_FLOAT = Pattern.compile("\"ts\":\\d+\\.\\d+");
    private static final Pattern LOG_SIZE = Pattern.compile("\"size\":\"[^\"]*\"");
    private static final Pattern TOOK_FIELD = Pattern.compile("\"took\":(\"[^\"]*\"|[0-9.e-]+)");
    /** The {@code -w fields} form of endpoint status. */
    private static final Pattern FIELDS_INDEX = Pattern.compile("\"(RaftIndex|RaftAppliedIndex)\" : (\\d+)");
    private static final Pattern FIELDS_SIZE = Pattern.compile("\"(DBSize|DBSizeInUse)\" : \\d+");
    private static final Pattern FIELDS_VERSION = Pattern.compile("\"Version\" : \"[^\"]*\"");
    /** A hash in endpoint hashkv's simple, JSON, fields and table forms. */
    private static final Pattern HASH = Pattern.compile("(\"hash\":|\"Hash\" : |, |\\| )(\\d+)");
    private static final List<String> SIZE_COLUMNS = List.of("DB SIZE");
    private static final String TOOK_COLUMN = "TOOK";
    private static final List<String> INDEX_COLUMNS = List.of("RAFT INDEX", "RAFT APPLIED INDEX");

    private final ClusterFacts facts;
    private final long baseIndex;
    private final String snapshotPath;

    OutputMasks(ClusterFacts facts, long baseIndex) {
        this(facts, baseIndex, "\u0000no snapshot file\u0000");
    }

    /** @param snapshotPath the run's {@code {snapshot}} file, shown as {@code <snapshot>} */
    OutputMasks(ClusterFacts facts, long baseIndex, String snapshotPath) {
        this.facts = facts;
        this.baseIndex = baseIndex;
        this.snapshotPath = snapshotPath;
    }

    /** @return {@code output} of the command {@code args} with the differences masked */
    String mask(List<String> args, String output) {
        String text = isMemberList(args) ? sortMembers(output) : output;
        text = text.replace(snapshotPath, "<snapshot>");
        text = addresses(text);
        if (isCommand(args, "endpoint", "hashkv")) {
            // --cluster lists members in member-list order, by ID, and IDs differ between the clusters.
            text = hashes(args.contains("--cluster") ? sortLines(text) : text);
        }
        text = TS.matcher(text).replaceAll("\"ts\":\"<ts>\"");
        text = TS_FLOAT.matcher(text).replaceAll("\"ts\":<ts>");
        text = LOG_SIZE.matcher(text).replaceAll("\"size\":\"<size>\"");
        text = TOOK_FIELD.matcher(text).replaceAll("\"took\":<took>");
        text = FIELDS_SIZE.matcher(text).replaceAll("\"$1\" : <db-size>");
        text = FIELDS_VERSION.matcher(text).replaceAll("\"Version\" : <version>");
        text = CLIENT_UUID.matcher(text).replaceAll("endpoint://client-<uuid>/");
        text = TOOK.matcher(text).replaceAll("took = <took>");
        text = ids(text);
        text = VERSION.matcher(text).replaceAll("\"version\":\"<version>\"");
        text = DB_SIZE.matcher(text).replaceAll("\"$1\":<db-size>");
        text = replace(RAFT_INDEX, text, m -> "\"" + m.group(1) + "\":" + relativeIndex(m.group(2)));
        text = replace(FIELDS_INDEX, text, m -> "\"" + m.group(1) + "\" : " + relativeIndex(m.group(2)));
        if (isCommand(args, "endpoint", "status")) {
            text = simpleStatus(text);
        }
        return tables(text);
    }

    /**
     * The simple format of {@code endpoint status}: "endpoint, ID, version, db size, is leader, is learner,
     * term, raft index, applied index, errors" per line.
     */
    private String simpleStatus(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split(", ", -1);
            if (f.length == 10 && !lines[i].startsWith("|") && !lines[i].startsWith("[")) {
                f[2] = "<version>";
                f[3] = "<db-size>";
                f[7] = f[7].matches("\\d+") ? relativeIndex(f[7]) : f[7];
                f[8] = f[8].matches("\\d+") ? relativeIndex(f[8]) : f[8];
                lines[i] = String.join(", ", f);
            }
        }
        return String.join("\n", lines);
    }

    /**
     * Numbers each distinct hash in order of appearance: etcd's and Keel's hashes differ, but whether members
     * agree must not.
     */
    private static String hashes(String text) {
        Map<String, String> seen = new java.util.LinkedHashMap<>();
        return replace(HASH, text, m -> m.group(1)
                + seen.computeIfAbsent(m.group(2), h -> "<hash:" + (seen.size() + 1) + ">"));
    }

    private static String sortLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.strip().split("\n")));
        lines.sort(null);
        return text.isBlank() ? text : String.join("\n", lines) + "\n";
    }

    private static boolean isMemberList(List<String> args) {
        return isCommand(args, "member", "list");
    }

    private static boolean isCommand(List<String> args, String command, String subcommand) {
        return args.size() >= 2 && args.get(0).equals(command) && args.get(1).equals(subcommand);
    }

    private String addresses(String text) {
        for (Map.Entry<String, String> e : facts.peerEndpoints().entrySet()) {
            text = text.replace(e.getValue(), "<peer:" + e.getKey() + ">");
        }
        for (Map.Entry<String, String> e : facts.clientEndpoints().entrySet()) {
            text = text.replace(e.getValue(), "<client:" + e.getKey() + ">");
        }
        return text;
    }

    private String ids(String text) {
        for (Map.Entry<String, Long> e : facts.ids().entrySet()) {
            text = id(text, e.getValue(), "<id:" + e.getKey() + ">");
        }
        return id(text, facts.clusterId(), "<cluster-id>");
    }

    /** Replaces the ID as etcdctl prints it: lowercase hex in tables, unsigned decimal in JSON and fields. */
    private static String id(String text, long id, String name) {
        for (String form : new String[]{Long.toHexString(id), Long.toUnsignedString(id)}) {
            text = text.replaceAll("(?<![0-9A-Za-z])" + form + "(?![0-9A-Za-z])", Matcher.quoteReplacement(name));
        }
        return text;
    }

    String relativeIndex(String index) {
        return "<base+" + (Long.parseLong(index) - baseIndex) + ">";
    }

    private interface Replacer {
        String apply(Matcher m);
    }

    private static String replace(Pattern p, String text, Replacer r) {
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(r.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Puts member list rows in name order (before IDs are masked, as JSON still parses then): the JSON
     * {@code members} array, the table's rows and the simple format's lines.
     */
    private static String sortMembers(String output) {
        String trimmed = output.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode root = JSON.readTree(trimmed);
                ArrayNode members = (ArrayNode) root.get("members");
                List<JsonNode> sorted = new ArrayList<>();
                members.forEach(sorted::add);
                sorted.sort(Comparator.comparing(m -> m.path("name").asText()));
                ((ObjectNode) root).set("members", JSON.createArrayNode().addAll(sorted));
                return JSON.writeValueAsString(root) + "\n";
            } catch (Exception e) {
                return output;
            }
        }
        List<String> lines = new ArrayList<>(List.of(output.split("\n", -1)));
        boolean table = trimmed.startsWith("+");
        int from = table ? 3 : 0;
        int to = table ? lines.size() - 2 : lines.size() - 1;
        if (to - from > 1) {
            List<String> rows = new ArrayList<>(lines.subList(from, to));
            rows.sort(Comparator.comparing(OutputMasks::nameCell));
            for (int i = 0; i < rows.size(); i++) {
                lines.set(from + i, rows.get(i));
            }
        }
        return String.join("\n", lines);
    }

    /** The NAME cell: the third of a table row or of a simple line. */
    private static String nameCell(String row) {
        String[] cells = row.startsWith("|") ? row.substring(1).split("\\|") : row.split(",");
        return cells.length > 2 ? cells[2].strip() : row;
    }

    /** Re-aligns tables: cells trimmed, borders shortened, masked columns replaced by their mask. */
    private String tables(String text) {
        String[] lines = text.split("\n", -1);
        List<String> header = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("+-")) {
                lines[i] = "+" + "-+".repeat(Math.max(1, line.split("\\+", -1).length - 2));
            } else if (line.startsWith("|")) {
                List<String> cells = cells(line);
                if (header == null) {
                    header = cells;
                } else {
                    maskCells(header, cells);
                }
                lines[i] = "| " + String.join(" | ", cells) + " |";
            } else {
                header = null;
            }
        }
        return String.join("\n", lines);
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.lastIndexOf('|'));
        List<String> cells = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            cells.add(c.strip());
        }
        return cells;
    }

    private void maskCells(List<String> header, List<String> cells) {
        for (int c = 0; c < Math.min(header.size(), cells.size()); c++) {
            String column = header.get(c);
            if (column.equals("VERSION")) {
                cells.set(c, "<version>");
            } else if (column.equals(TOOK_COLUMN)) {
                cells.set(c, "<took>");
            } else if (SIZE_COLUMNS.contains(column)) {
                cells.set(c, "<db-size>");
            } else if (INDEX_COLUMNS.contains(column) && cells.get(c).matches("\\d+")) {
                cells.set(c, relativeIndex(cells.get(c)));
            }
        }
    }
}
