package dev.keel.node.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an etcdctl session file on the etcd and the Keel cluster of a {@link ComparedClusters}, step by step (etcd
 * first, then Keel), and keeps both transcripts in {@code target/compat/<name>-etcd.txt} / {@code -keel.txt}.
 *
 * @param steps      the session's commands
 * @param etcd       etcd's transcript
 * @param keel       Keel's transcript
 * @param mismatches one entry per step whose masked outputs differ
 * @param dir        where the transcripts are
 */
record SessionComparison(List<EtcdctlScenario.Step> steps, String etcd, String keel, List<String> mismatches,
                         Path dir) {

    static SessionComparison run(String sessionResource, ComparedClusters clusters, String name) {
        List<EtcdctlScenario.Step> steps = EtcdctlScenario.load(sessionResource);
        SessionRunner etcd = new SessionRunner(clusters.etcdFacts, clusters.etcdBaseIndex, true);
        SessionRunner keel = new SessionRunner(clusters.keelFacts, clusters.keelBaseIndex, false);
        StringBuilder etcdTranscript = new StringBuilder();
        StringBuilder keelTranscript = new StringBuilder();
        List<String> mismatches = new ArrayList<>();
        try {
            for (EtcdctlScenario.Step step : steps) {
                String expected = etcd.run(step);
                String actual = keel.run(step);
                etcdTranscript.append(expected);
                keelTranscript.append(actual);
                if (!expected.equals(actual)) {
                    mismatches.add("line " + step.line() + ":\n--- etcd\n" + expected + "--- Keel\n" + actual);
                }
            }
        } finally {
            etcd.close();
            keel.close();
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "compat"));
            Files.writeString(dir.resolve(name + "-etcd.txt"), etcdTranscript);
            Files.writeString(dir.resolve(name + "-keel.txt"), keelTranscript);
            return new SessionComparison(steps, etcdTranscript.toString(), keelTranscript.toString(), mismatches, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the failure message listing every differing step */
    String report() {
        return mismatches.size() + " of " + steps.size() + " commands differ (transcripts in " + dir.toAbsolutePath()
                + "):\n" + String.join("\n", mismatches);
    }
}
