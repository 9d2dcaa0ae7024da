package dev.keel.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The client history of a run, in the shape of a Jepsen history for the {@code kv} model: every operation's
 * process, function, key and values, how it completed, and its invocation and completion virtual times.
 */
final class HistoryRecorder {
    /** One operation; {@code completeTime} is -1 while it is open (it ends as info if never completed). */
    static final class Op {
        final long process;
        final String f;
        final int key;
        final Object input;
        Object output;
        /** "ok", "fail" or "info". */
        String type = "info";
        final long invokeTime;
        long completeTime = -1;

        Op(long process, String f, int key, Object input, long invokeTime) {
            this.process = process;
            this.f = f;
            this.key = key;
            this.input = input;
            this.invokeTime = invokeTime;
        }
    }

    final List<Op> ops = new ArrayList<>();

    Op invoke(long process, String f, int key, Object input, long time) {
        Op op = new Op(process, f, key, input, time);
        ops.add(op);
        return op;
    }

    void complete(Op op, String type, Object output, long time) {
        op.type = type;
        op.output = output;
        op.completeTime = time;
    }

    /** @return writes still open, i.e. indeterminate (info) for the checker if the run ended now */
    int infoCount() {
        int n = 0;
        for (Op op : ops) {
            if (op.completeTime < 0 && !op.f.equals("get")) {
                n++;
            }
        }
        return n;
    }

    int size() {
        return ops.size();
    }
}
