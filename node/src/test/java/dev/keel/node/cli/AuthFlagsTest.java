package dev.keel.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.auth.AuthSettings;
import dev.keel.node.auth.SimpleTokens;
import dev.keel.node.auth.TokenSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --auth-token} and {@code --auth-token-ttl}: etcd's defaults, and bad values refused before starting. */
class AuthFlagsTest {
    @Test
    void defaultsAreEtcds() {
        KeelMain main = new KeelMain();
        new CommandLine(main).parseArgs();
        AuthSettings s = main.authSettings();
        assertEquals(TokenSpec.SIMPLE, s.tokenSpec());
        assertEquals(300, s.tokenTtlSeconds());
        assertTrue(s.tokens(x -> 0, () -> 0L, () -> 0L) instanceof SimpleTokens);
    }

    @Test
    void badTokenFlagsExitTwoWithEtcdsText() {
        String[] r = run("--auth-token", "opaque");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("keel: auth: invalid auth options"), r[1]);
        r = run("--auth-token", "jwt,sign-method=RS256,pub-key=/no/such.pub,priv-key=/no/such.pem");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("cannot read"), r[1]);
        assertEquals("2", run("--auth-token-ttl", "0")[0]);
    }

    private static String[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = KeelMain.run(args);
        } finally {
            System.setErr(old);
        }
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }
}
