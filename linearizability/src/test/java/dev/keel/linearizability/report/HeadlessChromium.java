package dev.keel.linearizability.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Headless Chromium for looking at reports as a reader would: a screenshot and the DOM after the script ran. */
final class HeadlessChromium {
    static final String INSTALL = "sudo apt-get install chromium (Debian/Ubuntu), or set KEEL_CHROMIUM to a"
            + " Chromium or Chrome binary";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** Skips the calling test (fails it under CI=true) when no Chromium is installed. */
    static HeadlessChromium require(Path workDir) throws IOException {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("KEEL_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        candidates.add(Path.of("/usr/bin/chromium-browser"));
        candidates.add(Path.of("/usr/bin/google-chrome"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate, Files.createDirectories(workDir.resolve("profile")));
            }
        }
        String message = "headless Chromium is needed to look at the HTML report; install it: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true: " + message);
        }
        Assumptions.abort("skipped: " + message);
        return null;
    }

    /** Takes a 1280x800 screenshot of the page once its script ran. */
    void screenshot(Path page, Path png) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png, png);
    }

    /** @return the page's DOM as serialized after its script ran */
    String dumpDom(Path page, Path out) throws IOException, InterruptedException {
        run(page, "--dump-dom", out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private void run(Path page, String what, Path stdout) throws IOException, InterruptedException {
        List<String> command = List.of(binary.toString(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=1280,800", "--virtual-time-budget=5000", what, page.toUri().toString());
        Path log = stdout.resolveSibling(stdout.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.redirectOutput(what.equals("--dump-dom") ? stdout.toFile() : log.toFile());
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            Assertions.fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0 || !Files.exists(stdout)) {
            Assertions.fail("chromium exited " + process.exitValue() + " for " + command + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
