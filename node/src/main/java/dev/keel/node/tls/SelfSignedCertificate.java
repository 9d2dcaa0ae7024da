package dev.keel.node.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The certificate etcd 3.4's {@code transport.SelfCert} makes for {@code --auto-tls} and {@code --peer-auto-tls},
 * encoded by hand because the JDK has no public certificate builder: an ECDSA key signing the certificate
 * itself, subject and issuer {@code O=etcd} (no CN), a random 128-bit serial, key usage digitalSignature +
 * keyEncipherment (critical), extended key usage serverAuth, basic constraints CA:FALSE (critical), and one
 * subject alternative name per listen host: an IP address for an IP literal, a DNS name otherwise.
 *
 * <p>One difference: etcd's key is P-521 (signed ECDSA-SHA512), Keel's is P-256 (ECDSA-SHA256). When Armeria
 * runs on Netty's BoringSSL (its default, so an embedded node's; {@code bin/keel} switches to the JDK's TLS),
 * P-521 signatures are not verified in a handshake (BoringSSL dropped ecdsa_secp521r1_sha512 from its verify
 * list): Armeria refuses to start a server on a P-521 key ("NO_COMMON_SIGNATURE_ALGORITHMS") and a member could
 * not dial another. P-256 is the curve every TLS stack verifies.
 */
final class SelfSignedCertificate {
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** digitalSignature (bit 0) and keyEncipherment (bit 2): 1010 0000, 5 unused bits, as Go encodes it. */
    private static final byte[] KEY_USAGE_BITS = {0x03, 0x02, 0x05, (byte) 0xa0};
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /**
     * @param key         the generated key pair
     * @param certificate the DER of the signed certificate
     */
    record Generated(KeyPair key, byte[] certificate) {
    }

    private SelfSignedCertificate() {
    }

    /**
     * @param hosts    the hosts of the listen URLs (no port; IPv6 with or without brackets)
     * @param validity how long from {@code now} the certificate is valid
     * @return a fresh key and the certificate it signed
     */
    static Generated generate(List<String> hosts, Duration validity, Instant now, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair key = generator.generateKeyPair();
            byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.printableString("etcd"))));
            Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(BigInteger.TWO)), // version v3
                    Der.integer(new BigInteger(128, random)),
                    algorithm,
                    name,
                    Der.sequence(Der.time(notBefore), Der.time(notBefore.plus(validity))),
                    name,
                    key.getPublic().getEncoded(), // already a SubjectPublicKeyInfo
                    Der.explicit(3, Der.sequence(extensions(hosts))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate(), random);
            signer.update(tbs);
            return new Generated(key, Der.sequence(tbs, algorithm, Der.bitString(signer.sign())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a P-256 ECDSA key or signature", e);
        }
    }

    private static byte[][] extensions(List<String> hosts) {
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(extension(KEY_USAGE, true, KEY_USAGE_BITS));
        extensions.add(extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))));
        extensions.add(extension(BASIC_CONSTRAINTS, true, Der.sequence()));
        if (!hosts.isEmpty()) {
            byte[][] names = new byte[hosts.size()][];
            for (int i = 0; i < names.length; i++) {
                names[i] = generalName(hosts.get(i));
            }
            extensions.add(extension(SUBJECT_ALT_NAME, false, Der.sequence(names)));
        }
        return extensions.toArray(new byte[0][]);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.booleanTrue(), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** GeneralName: {@code [7] iPAddress} for an IP literal (as Go's net.ParseIP decides), else {@code [2] dNSName}. */
    private static byte[] generalName(String host) {
        Optional<byte[]> ip = ipLiteral(host);
        return ip.isPresent()
                ? Der.tagged(0x87, ip.get())
                : Der.tagged(0x82, host.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** @return the address bytes when {@code host} is an IPv4 or IPv6 literal; never a DNS lookup */
    static Optional<byte[]> ipLiteral(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = IPV4.matcher(bare).matches();
        boolean v6 = bare.contains(":") && IPV6_CHARS.matcher(bare).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // Only literals get here, which InetAddress parses without asking a resolver.
            return Optional.of(InetAddress.getByName(bare).getAddress());
        } catch (UnknownHostException notALiteral) {
            return Optional.empty();
        }
    }
}
