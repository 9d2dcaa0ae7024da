package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWT tokens with keys made by openssl, as an operator following etcd's docs makes them. */
class JwtTokensTest {
    @TempDir
    Path dir;
    private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);

    @Test
    void rs256TokenCarriesEtcdsClaimsAndVerifies() throws Exception {
        JwtTokens jwt = rsa("RS256", "ttl=1m");
        String token = jwt.clientToken("", "alice", 5);
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals("alice", claims.getStringClaim("username"));
        assertEquals(5L, claims.getLongClaim("revision"));
        assertEquals((wallMillis.get() + 60_000) / 1000, claims.getExpirationTime().getTime() / 1000);
        assertEquals(Optional.of(new TokenInfo("alice", 5)), jwt.resolve(token));
    }

    @Test
    void expiredTamperedOrForeignTokensAreRejected() throws Exception {
        JwtTokens jwt = rsa("RS256", "ttl=1m");
        String token = jwt.clientToken("", "alice", 5);
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertEquals(Optional.empty(), jwt.resolve(tampered));
        assertEquals(Optional.empty(), jwt.resolve("abcdefghijklmnop.3"), "a simple token is not a JWT");
        assertEquals(Optional.empty(), rsa("RS256", "ttl=1m").resolve(token), "another key pair");
        wallMillis.addAndGet(60_000);
        assertEquals(Optional.empty(), jwt.resolve(token), "expired at exp");
    }

    @Test
    void es256WithPkcs8KeysWorks() throws Exception {
        Path priv = dir.resolve("ec.pem");
        Path pub = dir.resolve("ec.pub");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", priv.toString());
        openssl("pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        JwtTokens jwt = JwtTokens.fromSpec(TokenSpec.parse("jwt,pub-key=" + pub + ",priv-key=" + priv
                + ",sign-method=ES256"), s -> 1000, wallMillis::get);
        assertEquals(Optional.of(new TokenInfo("bob", 2)), jwt.resolve(jwt.clientToken("", "bob", 2)));
    }

    @Test
    void hs256UsesThePrivateKeyFileAsSecret() throws Exception {
        Path secret = Files.write(dir.resolve("secret"), "0123456789abcdef0123456789abcdef".getBytes());
        JwtTokens jwt = JwtTokens.fromSpec(TokenSpec.parse("jwt,priv-key=" + secret + ",sign-method=HS256"),
                s -> 1000, wallMillis::get);
        assertEquals(Optional.of(new TokenInfo("bob", 2)), jwt.resolve(jwt.clientToken("", "bob", 2)));
    }

    @Test
    void missingKeyFilesAreConfigurationErrors() {
        assertThrows(IllegalArgumentException.class, () -> JwtTokens.fromSpec(
                TokenSpec.parse("jwt,sign-method=RS256"), s -> 1000, wallMillis::get));
        assertThrows(IllegalArgumentException.class, () -> JwtTokens.fromSpec(TokenSpec.parse(
                "jwt,sign-method=RS256,priv-key=" + dir.resolve("none") + ",pub-key=" + dir.resolve("none")),
                s -> 1000, wallMillis::get));
    }

    /** An RSA pair in the traditional PKCS#1 form ({@code -traditional}) to cover that reader too. */
    private JwtTokens rsa(String method, String ttl) throws Exception {
        Path priv = Files.createTempFile(dir, "rsa", ".pem");
        Path pub = Files.createTempFile(dir, "rsa", ".pub");
        openssl("genrsa", "-traditional", "-out", priv.toString(), "2048");
        openssl("rsa", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        assertTrue(Files.readString(priv).contains("BEGIN RSA PRIVATE KEY"));
        return JwtTokens.fromSpec(TokenSpec.parse("jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method="
                + method + "," + ttl), s -> 60_000, wallMillis::get);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl timed out");
        assertEquals(0, p.exitValue(), out);
    }
}
