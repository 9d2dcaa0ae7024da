package dev.keel.harness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The faults in force per directed link ({@code from->to}, by member names) and the verdict they give each
 * frame. Thread-safe: the nemesis changes rules while proxy threads ask for verdicts.
 */
final class LinkRules {
    /** What happens to one frame. */
    record Verdict(boolean drop, long delayMillis) {
        static final Verdict PASS = new Verdict(false, 0);
    }

    /** The faults of one directed link; a link with none is not stored. */
    private record Rule(boolean blocked, double dropShare, long delayMillis) {
        static final Rule NONE = new Rule(false, 0, 0);

        String describe(String link) {
            List<String> parts = new ArrayList<>();
            if (blocked) {
                parts.add("blocked");
            }
            if (dropShare > 0) {
                parts.add("drop " + Math.round(dropShare * 100) + "%");
            }
            if (delayMillis > 0) {
                parts.add("delay " + delayMillis + "ms");
            }
            return link + " " + String.join(" ", parts);
        }
    }

    private final Map<String, Rule> rules = new TreeMap<>();
    /** Frames dropped so far per link, heals included: the run's record of what the faults cost. */
    private final Map<String, Long> dropped = new TreeMap<>();
    private final Random random;

    /** @param seed seeds the random drops, so a run's drops can be replayed with the same traffic */
    LinkRules(long seed) {
        this.random = new Random(seed);
    }

    synchronized void block(String from, String to) {
        Rule old = rule(from, to);
        rules.put(key(from, to), new Rule(true, old.dropShare, old.delayMillis));
    }

    synchronized void delay(String from, String to, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("delay must be at least 0 ms, got " + millis);
        }
        Rule old = rule(from, to);
        put(from, to, new Rule(old.blocked, old.dropShare, millis));
    }

    synchronized void drop(String from, String to, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("drop share must be within 0..1, got " + share);
        }
        Rule old = rule(from, to);
        put(from, to, new Rule(old.blocked, share, old.delayMillis));
    }

    synchronized void heal() {
        rules.clear();
    }

    /** @return the verdict for the next frame {@code from} sends {@code to} */
    synchronized Verdict verdict(String from, String to) {
        Rule rule = rules.get(key(from, to));
        if (rule == null) {
            return Verdict.PASS;
        }
        boolean drop = rule.blocked || (rule.dropShare > 0 && random.nextDouble() < rule.dropShare);
        if (drop) {
            dropped.merge(key(from, to), 1L, Long::sum);
            return new Verdict(true, 0);
        }
        return new Verdict(false, rule.delayMillis);
    }

    /** @return how many frames {@code from} sent {@code to} were dropped so far */
    synchronized long dropped(String from, String to) {
        return dropped.getOrDefault(key(from, to), 0L);
    }

    /** @return e.g. {@code n1->n2 blocked, n3->n1 delay 200ms}, or {@code healed} */
    synchronized String describe() {
        if (rules.isEmpty()) {
            return "healed";
        }
        List<String> parts = new ArrayList<>();
        rules.forEach((link, rule) -> parts.add(rule.describe(link)));
        return String.join(", ", parts);
    }

    private Rule rule(String from, String to) {
        return rules.getOrDefault(key(from, to), Rule.NONE);
    }

    private void put(String from, String to, Rule rule) {
        if (rule.equals(Rule.NONE)) {
            rules.remove(key(from, to));
        } else {
            rules.put(key(from, to), rule);
        }
    }

    private static String key(String from, String to) {
        if (from == null || to == null || from.isBlank() || to.isBlank()) {
            throw new IllegalArgumentException("a link needs two member names, got " + from + "->" + to);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link joins two different members, got " + from + "->" + to);
        }
        return from + "->" + to;
    }
}
