package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/keel-check's class-data sharing archive, from a checkout-shaped copy (the script, and a keel-check.jar made
 * here from the test classpath, since tests run before packaging): without an archive it runs, with one it loads
 * classes from it, and with one that no longer matches the jar it runs exactly as without, silently.
 */
class KeelCheckScriptTest {
    private static final String JAVA_OPTS = "-XX:+UseParallelGC -XX:TieredStopAtLevel=1";

    @TempDir
    Path checkout;

    @Test
    void theArchiveIsUsedWhenItMatchesAndSilentlySkippedWhenNot() throws Exception {
        Path script = Files.createDirectories(checkout.resolve("bin")).resolve("keel-check");
        Files.copy(Path.of("..", "bin", "keel-check"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path target = Files.createDirectories(checkout.resolve("linearizability/target"));
        Path jar = target.resolve("keel-check.jar");
        writeJar(jar, false);
        Path history = checkout.resolve("h.edn");
        Files.copy(Path.of(KeelCheckTest.sample("cas-register-not-linearizable.edn")), history);

        Result plain = run(script, Map.of(), history);
        assertEquals(1, plain.code, plain.out + plain.err);
        assertTrue(plain.out.endsWith("not linearizable\n"), plain.out);
        assertEquals("", plain.err);

        Path jsa = target.resolve("keel-check.jsa");
        Process dump = new ProcessBuilder(java(), "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
                "-XX:ArchiveClassesAtExit=" + jsa, "-jar", jar.toRealPath().toString(), "--quiet", history.toString())
                .redirectErrorStream(true).redirectOutput(checkout.resolve("dump.log").toFile()).start();
        assertTrue(dump.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.size(jsa) > 0, Files.readString(checkout.resolve("dump.log")));

        Path classLog = checkout.resolve("classes.log");
        Result shared = run(script, Map.of("KEEL_CHECK_JAVA_OPTS", JAVA_OPTS + " -Xlog:class+load:file=" + classLog),
                history);
        assertEquals(plain.out.replaceAll("\\d+ ms", "N ms"), shared.out.replaceAll("\\d+ ms", "N ms"));
        assertEquals("", shared.err);
        assertTrue(Files.readString(classLog).contains("dev.keel.linearizability.cli.KeelCheck source: shared objects"
                + " file (top)"), "KeelCheck was not loaded from the archive");

        writeJar(jar, true); // a rebuilt jar: the archive no longer matches it
        Files.setLastModifiedTime(jsa, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Result stale = run(script, Map.of(), history);
        assertEquals(1, stale.code, stale.out + stale.err);
        assertEquals(plain.out.replaceAll("\\d+ ms", "N ms"), stale.out.replaceAll("\\d+ ms", "N ms"));
        assertEquals("", stale.err); // no warning from the JVM about the archive, on either stream
        assertFalse(stale.out.contains("shared archive"), stale.out);
        Result staleLogged = run(script, Map.of("KEEL_CHECK_JAVA_OPTS", JAVA_OPTS + " -Xlog:class+load:file="
                + classLog), history);
        assertEquals(1, staleLogged.code, staleLogged.out + staleLogged.err);
        assertFalse(Files.readString(classLog).contains("(top)"), "the stale archive was used");
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Path script, Map<String, String> env, Path history) throws IOException, InterruptedException {
        Path out = checkout.resolve("out.txt");
        Path err = checkout.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), history.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("KEEL_CHECK_JAVA_OPTS");
        builder.environment().putAll(env);
        builder.environment().put("PATH", Path.of(java()).getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keel-check did not finish");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A runnable jar of the module's classes and picocli, as the shade plugin makes keel-check.jar. */
    private static void writeJar(Path jar, boolean withMarker) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, KeelCheck.class.getName());
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            written.add("META-INF/MANIFEST.MF");
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path) && path.endsWith("classes")) {
                    addDirectory(path, out, written);
                } else if (path.getFileName().toString().startsWith("picocli")) {
                    addJar(path, out, written);
                }
            }
            if (withMarker) {
                out.putNextEntry(new JarEntry("rebuilt.txt"));
                out.write("a later build".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private static void addDirectory(Path root, JarOutputStream out, Set<String> written) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path file : files) {
            String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            if (written.add(name)) {
                out.putNextEntry(new JarEntry(name));
                Files.copy(file, out);
            }
        }
    }

    private static void addJar(Path path, JarOutputStream out, Set<String> written) throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                if (entry.isDirectory() || entry.getName().startsWith("META-INF/") || !written.add(entry.getName())) {
                    continue;
                }
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream in = jar.getInputStream(entry)) {
                    in.transferTo(out);
                }
            }
        }
    }
}
