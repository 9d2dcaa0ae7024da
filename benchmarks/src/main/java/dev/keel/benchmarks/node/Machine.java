package dev.keel.benchmarks.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine: load, cores, CPU, JVM and etcd versions (Linux's /proc). */
public final class Machine {
    private Machine() {
    }

    /** @return the 1, 5 and 15-minute load averages, e.g. {@code "0.12 0.30 0.41"}, or "unknown" */
    public static String loadAverage() {
        String line = firstLine(Path.of("/proc/loadavg"));
        if (line == null) {
            return "unknown";
        }
        String[] parts = line.split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : line;
    }

    /** @return e.g. {@code "2 cores, AMD EPYC, OpenJDK 17.0.15, etcd 3.4.23"} */
    public static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: the report says unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + etcdVersion();
    }

    private static String etcdVersion() {
        try {
            Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("");
            return first.replace("etcd Version:", "etcd").trim();
        } catch (IOException e) {
            return "etcd (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "etcd (version unknown)";
        }
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
