package dev.keel.node.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keel.node.tls.PemFiles;
import dev.keel.node.tls.TlsFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * etcd's JWT tokens ({@code auth/jwt.go}): a signed JWT with claims {@code username}, {@code revision} and
 * {@code exp} (issue time + ttl, Unix seconds). Stateless: any member with the public key verifies any member's
 * token, so {@link #invalidateUser} and {@link #clear} keep nothing — as in etcd, a JWT stays valid until it expires
 * or the auth revision it carries is overtaken (the kernel checks that revision).
 */
public final class JwtTokens implements AuthTokens {
    /** etcd's {@code DefaultTTL} for JWTs. */
    public static final long DEFAULT_TTL_MILLIS = 5 * 60 * 1000L;

    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final LongSupplier wallClockMillis;
    private final long ttlMillis;

    private JwtTokens(JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, LongSupplier wallClockMillis,
            long ttlMillis) {
        this.algorithm = algorithm;
        this.signer = signer;
        this.verifier = verifier;
        this.wallClockMillis = wallClockMillis;
        this.ttlMillis = ttlMillis;
    }

    /** @return whether {@code signMethod} is one etcd 3.4 accepts (RS*, PS*, ES*, HS*) */
    public static boolean supports(String signMethod) {
        if (signMethod.isEmpty()) {
            return false;
        }
        JWSAlgorithm a = JWSAlgorithm.parse(signMethod);
        return JWSAlgorithm.Family.RSA.contains(a) || JWSAlgorithm.Family.EC.contains(a)
                || JWSAlgorithm.Family.HMAC_SHA.contains(a);
    }

    /**
     * Builds the provider from a parsed {@code --auth-token jwt,...} spec, reading its key files.
     *
     * @param wallClockMillis epoch milliseconds ({@code exp} is wall time, shared by all members)
     * @throws IllegalArgumentException when a key is missing, unreadable or of the wrong kind
     */
    public static JwtTokens fromSpec(TokenSpec spec, GoDurations ttlParser, LongSupplier wallClockMillis) {
        String method = spec.options().getOrDefault("sign-method", "");
        if (!supports(method)) {
            throw new IllegalArgumentException(TokenSpec.INVALID_METHOD);
        }
        JWSAlgorithm alg = JWSAlgorithm.parse(method);
        String ttl = spec.options().get("ttl");
        long ttlMillis = ttl == null || ttl.isEmpty() ? DEFAULT_TTL_MILLIS : ttlParser.millis(ttl);
        try {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                byte[] priv = read(spec, "priv-key");
                // etcd uses the priv-key file's bytes as the HMAC secret for both signing and verifying.
                return new JwtTokens(alg, new MACSigner(priv), new MACVerifier(priv), wallClockMillis, ttlMillis);
            }
            boolean rsa = JWSAlgorithm.Family.RSA.contains(alg);
            // The TLS flags' PEM reader: PKCS#8, PKCS#1 and SEC 1 private keys; PUBLIC KEY or CERTIFICATE.
            var publicKey = PemFiles.publicKey(keyFile(spec, "pub-key"));
            var privateKey = PemFiles.privateKey(keyFile(spec, "priv-key"));
            JWSSigner s = rsa ? new RSASSASigner((RSAPrivateKey) privateKey)
                    : new ECDSASigner((ECPrivateKey) privateKey);
            JWSVerifier v = rsa ? new RSASSAVerifier((RSAPublicKey) publicKey)
                    : new ECDSAVerifier((ECPublicKey) publicKey);
            return new JwtTokens(alg, s, v, wallClockMillis, ttlMillis);
        } catch (TlsFileException | JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("invalid --auth-token jwt key: " + e.getMessage(), e);
        }
    }

    /** Parses the {@code ttl} option (a Go duration such as {@code 5m}). */
    @FunctionalInterface
    public interface GoDurations {
        /** @return the duration in milliseconds; throws IllegalArgumentException when malformed */
        long millis(String goDuration);
    }

    private static Path keyFile(TokenSpec spec, String option) {
        String path = spec.options().get(option);
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException(TokenSpec.INVALID_OPTS + ": " + option + " is required");
        }
        return Path.of(path);
    }

    private static byte[] read(TokenSpec spec, String option) {
        Path path = keyFile(spec, option);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String proposalToken() {
        return ""; // signed after apply, with the revision the entry was applied at
    }

    @Override
    public void assigned(String user, String token, long revision) {
        // Stateless tokens: nothing to remember.
    }

    @Override
    public String clientToken(String proposed, String user, long revision) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("username", user)
                .claim("revision", revision)
                .expirationTime(new Date(wallClockMillis.getAsLong() + ttlMillis))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign JWT with " + algorithm, e);
        }
        return jwt.serialize();
    }

    @Override
    public Optional<TokenInfo> resolve(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // Only our algorithm: a token claiming "none" or another family must not pick its own verifier.
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            String user = c.getStringClaim("username");
            Long revision = c.getLongClaim("revision");
            if (exp == null || exp.getTime() <= wallClockMillis.getAsLong() || user == null || user.isEmpty()
                    || revision == null || revision < 0) {
                return Optional.empty();
            }
            return Optional.of(new TokenInfo(user, revision));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    @Override
    public void invalidateUser(String user) {
        // Stateless tokens: nothing is held; the revision claim is what invalidates them.
    }

    @Override
    public void clear() {
        // Stateless tokens: nothing is held.
    }
}
