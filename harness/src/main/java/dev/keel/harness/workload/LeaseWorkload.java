package dev.keel.harness.workload;

import java.nio.file.Path;

/** Placeholder: the workload work replaces this class with the real one. */
public final class LeaseWorkload implements Workload {
    @Override
    public String name() {
        return "lease";
    }

    @Override
    public void start(WorkloadContext context) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void finish(WorkloadContext context) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public WorkloadResult check(Path dir) {
        throw new UnsupportedOperationException("not built yet");
    }
}
