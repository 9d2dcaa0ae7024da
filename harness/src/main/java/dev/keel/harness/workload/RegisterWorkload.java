package dev.keel.harness.workload;

import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.register.RegisterChecker;
import dev.keel.harness.workload.register.RegisterClient;
import dev.keel.harness.workload.register.RegisterVerdict;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Jepsen's etcd register test: a few keys, each an independent compare-and-set register
 * ({@code /torture/register/<k>}), clients reading (linearizably), writing and cas-ing small integers. The
 * history ({@code register.edn}) is in {@code jepsen.independent} cas-register form, so
 * {@code keel-check --model cas-register --independent register.edn} (or Knossos) checks it unchanged; the
 * verdict comes from the same checker, and a failure is drawn in {@code register.html}.
 */
public final class RegisterWorkload extends PooledWorkload {
    /** How many registers the clients share. */
    public static final int DEFAULT_KEYS = 5;
    private static final int THINK_MIN_MILLIS = 5;
    private static final int THINK_MAX_MILLIS = 20;

    private final int keys;
    private final Duration checkBudget;

    /** Five keys, a 60 s check budget. */
    public RegisterWorkload() {
        this(DEFAULT_KEYS, RegisterChecker.DEFAULT_BUDGET);
    }

    /**
     * @param keys        how many registers
     * @param checkBudget how long the linearizability check may take before the verdict is unknown
     */
    public RegisterWorkload(int keys, Duration checkBudget) {
        if (keys < 1) {
            throw new IllegalArgumentException("the register workload needs at least one key, not " + keys);
        }
        this.keys = keys;
        this.checkBudget = checkBudget;
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public void start(WorkloadContext context) {
        begin(context, context.clients());
        RegisterClient client = new RegisterClient(new EtcdClients(context.opTimeoutMillis()), recorder, keys);
        pool.start(session -> {
            Recorder.Process process = recorder.process(session.thread());
            while (session.think(THINK_MIN_MILLIS, THINK_MAX_MILLIS)) {
                String endpoint = session.endpoint();
                if (endpoint == null) {
                    return;
                }
                client.step(session, process, endpoint);
            }
        });
    }

    /** Nothing to do: a register history needs no final read. */
    @Override
    public void finish(WorkloadContext context) {
        requireStarted();
    }

    @Override
    public WorkloadResult check(Path dir) {
        requireStarted();
        return check(recorder, dir);
    }

    /** Judges {@code history} (the workload's own, or a test's) and writes its files into {@code dir}. */
    WorkloadResult check(Recorder history, Path dir) {
        String edn = history.edn();
        List<Path> files = new ArrayList<>();
        files.add(ResultFiles.write(dir.resolve("register.edn"), edn));
        RegisterVerdict verdict = RegisterChecker.check(edn, checkBudget);
        verdict.htmlReport().ifPresent(html -> files.add(ResultFiles.write(dir.resolve("register.html"), html)));
        return WorkloadResult.of(name(), verdict.outcome(), verdict.headline(), history, List.copyOf(files));
    }
}
