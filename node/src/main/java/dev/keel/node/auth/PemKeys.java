package dev.keel.node.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM key files of {@code --auth-token jwt,pub-key=...,priv-key=...} with the JDK only: public keys as
 * {@code PUBLIC KEY} or {@code CERTIFICATE}; private keys as {@code PRIVATE KEY} (PKCS#8, what OpenSSL 3 writes) or
 * {@code RSA PRIVATE KEY} (PKCS#1, what {@code openssl genrsa} used to write and etcd's docs show).
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** The DER prefix of a PKCS#8 PrivateKeyInfo holding rsaEncryption, before the PKCS#1 key's length. */
    private static final byte[] PKCS8_RSA_HEAD = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86,
        0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04};

    private PemKeys() {
    }

    static PublicKey publicKey(byte[] pem, String algorithm) throws GeneralSecurityException {
        Matcher m = block(pem);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        return switch (m.group(1)) {
            case "PUBLIC KEY" -> KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
            default -> throw new GeneralSecurityException("unsupported public key PEM block " + m.group(1));
        };
    }

    static PrivateKey privateKey(byte[] pem, String algorithm) throws GeneralSecurityException {
        Matcher m = block(pem);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        return switch (m.group(1)) {
            case "PRIVATE KEY" -> KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
            default -> throw new GeneralSecurityException("unsupported private key PEM block " + m.group(1)
                    + " (convert with: openssl pkcs8 -topk8 -nocrypt)");
        };
    }

    private static Matcher block(byte[] pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new GeneralSecurityException("no PEM block found");
        }
        return m;
    }

    /** Wraps a PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo, which the JDK's KeyFactory reads. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] octetLen = derLength(pkcs1.length);
        int bodyLen = PKCS8_RSA_HEAD.length + octetLen.length + pkcs1.length;
        byte[] seqLen = derLength(bodyLen);
        byte[] out = new byte[1 + seqLen.length + bodyLen];
        int i = 0;
        out[i++] = 0x30;
        System.arraycopy(seqLen, 0, out, i, seqLen.length);
        i += seqLen.length;
        System.arraycopy(PKCS8_RSA_HEAD, 0, out, i, PKCS8_RSA_HEAD.length);
        i += PKCS8_RSA_HEAD.length;
        System.arraycopy(octetLen, 0, out, i, octetLen.length);
        i += octetLen.length;
        System.arraycopy(pkcs1, 0, out, i, pkcs1.length);
        return out;
    }

    private static byte[] derLength(int len) {
        if (len < 0x80) {
            return new byte[] {(byte) len};
        }
        if (len < 0x100) {
            return new byte[] {(byte) 0x81, (byte) len};
        }
        if (len < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        }
        return new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
    }
}
