package dev.keel.node.process;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints the tails of the watched clusters' member logs when a test fails — before {@code @AfterEach} deletes
 * them — so a failed process test says what the members did. Register with {@code @RegisterExtension}.
 */
public final class LogsOnFailure implements AfterTestExecutionCallback {
    private static final int LINES = 30;
    private final List<ProcessCluster> watched = new ArrayList<>();

    /** Watches {@code cluster} for the current test; returns it. */
    public ProcessCluster watch(ProcessCluster cluster) {
        watched.add(cluster);
        return cluster;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (ProcessCluster c : watched) {
                System.out.println("---- member logs of " + c.root() + " ----\n" + c.logTails(LINES));
            }
        }
        watched.clear();
    }
}
