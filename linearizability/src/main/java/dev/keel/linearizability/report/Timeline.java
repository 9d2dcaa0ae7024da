package dev.keel.linearizability.report;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.search.Counterexample;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The SVG timeline: one lane per process, one bar per operation from invocation to completion (an indeterminate
 * operation's bar runs to the right edge). Times are replaced by their rank among the drawn events, so sparse
 * logical times still give evenly spaced, readable bars.
 */
final class Timeline {
    private static final int LANE_HEIGHT = 28;
    private static final int STEP = 44;
    private static final int LEFT = 95;
    private static final int TOP = 10;

    private final List<Operation> drawn;
    private final Counterexample counterexample;
    private final Map<Long, Integer> rankOfTime = new TreeMap<>();
    private final Map<Long, Integer> laneOfProcess = new TreeMap<>();
    private final int width;
    /** Earlier invocations (old indeterminate operations still in the window) are drawn from here. */
    private final long start;

    Timeline(List<Operation> drawn, Counterexample counterexample) {
        this.drawn = drawn;
        this.counterexample = counterexample;
        Set<Operation> anchors = identitySet(drawn);
        anchors.removeIf(op -> op.type() == OpType.INFO && counterexample.window().contains(op));
        this.start = HtmlReport.span(anchors.isEmpty() ? identitySet(drawn) : anchors)[0];
        TreeSet<Long> times = new TreeSet<>();
        TreeSet<Long> processes = new TreeSet<>();
        for (Operation op : drawn) {
            times.add(Math.max(start, op.invokeTime()));
            if (op.completed() && op.type() != OpType.INFO) {
                times.add(op.completeTime());
            }
            processes.add(op.process());
        }
        int rank = 0;
        for (long time : times) {
            rankOfTime.put(time, rank++);
        }
        int lane = 0;
        for (long process : processes) {
            laneOfProcess.put(process, lane++);
        }
        width = LEFT + (rank + 2) * STEP;
    }

    String svg() {
        int height = TOP * 2 + laneOfProcess.size() * LANE_HEIGHT;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\">\n<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" ")
                .append("patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" ")
                .append("height=\"6\" fill=\"#fff\"/><rect width=\"3\" height=\"6\" fill=\"#ce93d8\"/>")
                .append("</pattern></defs>\n");
        for (Map.Entry<Long, Integer> lane : laneOfProcess.entrySet()) {
            int y = TOP + lane.getValue() * LANE_HEIGHT;
            svg.append("<rect class=\"lane\" x=\"0\" y=\"").append(y + 2).append("\" width=\"").append(width)
                    .append("\" height=\"").append(LANE_HEIGHT - 4).append("\"/><text class=\"lanelabel\" x=\"4\" y=\"")
                    .append(y + LANE_HEIGHT / 2 + 4).append("\">process ").append(lane.getKey()).append("</text>\n");
        }
        windowSpan(svg, height);
        Set<Operation> linearized = identitySet(counterexample.linearized());
        Set<Operation> window = identitySet(counterexample.window());
        for (Operation op : drawn) {
            bar(svg, op, HtmlReport.classOf(op, counterexample, linearized, window));
        }
        return svg.append("</svg>\n").toString();
    }

    /** Shades the time span of the failing window across all lanes. */
    private void windowSpan(StringBuilder svg, int height) {
        int from = Integer.MAX_VALUE;
        int to = Integer.MIN_VALUE;
        for (Operation op : counterexample.window()) {
            if (op.type() != OpType.INFO) {
                from = Math.min(from, x(rankOfTime.get(op.invokeTime())));
                to = Math.max(to, x(rankOfTime.get(op.completeTime())));
            }
        }
        if (from <= to) {
            svg.append("<rect class=\"windowspan\" x=\"").append(from - 4).append("\" y=\"2\" width=\"")
                    .append(to - from + 8).append("\" height=\"").append(height - 4).append("\"/>\n");
        }
    }

    private void bar(StringBuilder svg, Operation op, String cssClass) {
        int x1 = x(rankOfTime.get(Math.max(start, op.invokeTime())));
        // An indeterminate operation may take effect at any later time: its bar runs to the right edge.
        int x2 = op.completed() && op.type() != OpType.INFO ? x(rankOfTime.get(op.completeTime())) : width - 4;
        int y = TOP + laneOfProcess.get(op.process()) * LANE_HEIGHT + 5;
        String label = (op.invokeTime() < start ? "◀ " : "") + ":" + op.f() + " " + EdnWriter.write(op.value());
        svg.append("<g><title>").append(HtmlReport.escape(op.toString())).append("</title><rect class=\"bar ")
                .append(cssClass).append("\" x=\"").append(x1).append("\" y=\"").append(y).append("\" width=\"")
                .append(Math.max(4, x2 - x1)).append("\" height=\"").append(LANE_HEIGHT - 10)
                .append("\" rx=\"3\"/><text class=\"bartext\" x=\"").append(x1 + 3).append("\" y=\"")
                .append(y + LANE_HEIGHT / 2 - 1).append("\">").append(HtmlReport.escape(shorten(label, x2 - x1)))
                .append("</text></g>\n");
    }

    private static int x(int rank) {
        return LEFT + rank * STEP;
    }

    /** Keeps a label inside its bar, at about 6 pixels a character. */
    private static String shorten(String label, int pixels) {
        int chars = Math.max(3, pixels / 6);
        return label.length() <= chars ? label : label.substring(0, Math.max(1, chars - 1)) + "…";
    }

    private static Set<Operation> identitySet(List<Operation> ops) {
        Set<Operation> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(ops);
        return set;
    }
}
