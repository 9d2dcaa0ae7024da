package dev.keel.benchmarks.jmh;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine line of the JMH block: cores, CPU model (Linux's /proc/cpuinfo) and the benchmarked JVM. */
final class MachineFacts {
    private MachineFacts() {
    }

    /** @return e.g. {@code "2 cores, AMD EPYC 7B13, OpenJDK 64-Bit Server VM 17.0.15"} */
    static String describe(String jmhJson) {
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", " + jvm(jmhJson);
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: say so below
        }
        return "unknown CPU";
    }

    /** The forked JVM JMH recorded (it may differ from the one running this), else this one. */
    private static String jvm(String jmhJson) {
        try {
            JsonElement root = JsonParser.parseString(jmhJson);
            if (root.isJsonArray() && root.getAsJsonArray().size() > 0) {
                JsonObject first = root.getAsJsonArray().get(0).getAsJsonObject();
                if (first.has("vmName") && first.has("jdkVersion")) {
                    return first.get("vmName").getAsString() + " " + first.get("jdkVersion").getAsString();
                }
            }
        } catch (RuntimeException e) {
            // fall back to this JVM
        }
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }
}
