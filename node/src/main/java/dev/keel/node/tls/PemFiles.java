package dev.keel.node.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files etcd's {@code --cert-file}, {@code --key-file} and {@code --trusted-ca-file} name:
 * certificate chains, and unencrypted private keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE
 * KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form, the three that Go's {@code tls.X509KeyPair} accepts. The JDK
 * parses only PKCS#8, so the other two are wrapped into a PKCS#8 envelope here (a few DER bytes) instead of
 * pulling in a crypto provider.
 */
public final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** DER of AlgorithmIdentifier{rsaEncryption, NULL}. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private PemFiles() {
    }

    /**
     * @return the certificates of the file, leaf first as written
     * @throws TlsFileException when the file cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) {
        byte[] content = read(file);
        try {
            List<X509Certificate> chain = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(new ByteArrayInputStream(content))) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new TlsFileException(file + ": no PEM certificate found (expected \"-----BEGIN CERTIFICATE-----\")");
            }
            return List.copyOf(chain);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(file + ": not a PEM certificate file: " + e.getMessage());
        }
    }

    /**
     * @return the first private key of the file
     * @throws TlsFileException when the file cannot be read, holds no supported key, or the key is encrypted
     */
    public static PrivateKey privateKey(Path file) {
        Matcher block = BLOCK.matcher(new String(read(file), StandardCharsets.US_ASCII));
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(file, der, "RSA", "EC", "Ed25519", "Ed448");
                case "RSA PRIVATE KEY":
                    return pkcs8(file, sequence(integerZero(), RSA_ALGORITHM, octetString(der)), "RSA");
                case "EC PRIVATE KEY":
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, Der.ecCurveOid(file, der));
                    return pkcs8(file, sequence(integerZero(), algorithm, octetString(der)), "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new TlsFileException(file + ": the private key is encrypted; etcd (and Keel) need an"
                            + " unencrypted key: openssl pkey -in " + file + " -out key.pem");
                default:
                    // Go's X509KeyPair skips blocks that are not keys (for instance EC PARAMETERS): so do we.
            }
        }
        throw new TlsFileException(file + ": no PEM private key found (expected PRIVATE KEY, RSA PRIVATE KEY"
                + " or EC PRIVATE KEY)");
    }

    /**
     * @return the public key of the file's first {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo), or of its
     *     first certificate
     * @throws TlsFileException when the file cannot be read or holds neither
     */
    public static PublicKey publicKey(Path file) {
        Matcher block = BLOCK.matcher(new String(read(file), StandardCharsets.US_ASCII));
        while (block.find()) {
            if (block.group(1).equals("PUBLIC KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                    } catch (GeneralSecurityException notThisAlgorithm) {
                        // as for private keys: ask each factory
                    }
                }
                throw new TlsFileException(file + ": unsupported or malformed public key");
            }
            if (block.group(1).equals("CERTIFICATE")) {
                return certificates(file).get(0).getPublicKey();
            }
        }
        throw new TlsFileException(file + ": no PEM public key found (expected PUBLIC KEY or CERTIFICATE)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der, String... algorithms) {
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // The PKCS#8 envelope names its algorithm, but asking each factory is simpler than parsing it.
            }
        }
        throw new TlsFileException(file + ": unsupported or malformed private key");
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsFileException("cannot read " + file + ": " + e);
        }
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] octetString(byte[] content) {
        return Der.tagged(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return Der.tagged(0x30, out.toByteArray());
    }

    private static byte[] hex(String digits) {
        return java.util.HexFormat.of().parseHex(digits);
    }
}
