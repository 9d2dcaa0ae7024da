package dev.keel.node.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The little DER reading and writing that wrapping SEC 1 and PKCS#1 keys into PKCS#8 needs, and the few
 * constructors that encoding an {@code --auto-tls} certificate needs.
 */
final class Der {
    private Der() {
    }

    /** @return tag, definite length and content */
    static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** @return a SEQUENCE of the already encoded parts, in order */
    static byte[] sequence(byte[]... parts) {
        return tagged(0x30, concat(parts));
    }

    /** @return a SET of the already encoded parts, in the order given (callers give one element) */
    static byte[] set(byte[]... parts) {
        return tagged(0x31, concat(parts));
    }

    /** @return an INTEGER, minimal two's complement as {@link BigInteger#toByteArray()} gives it */
    static byte[] integer(BigInteger value) {
        return tagged(0x02, value.toByteArray());
    }

    /** @return an OBJECT IDENTIFIER from its dotted form, e.g. {@code "2.5.29.17"} */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
            }
        }
        return tagged(0x06, out.toByteArray());
    }

    /** @return a BIT STRING of whole bytes (no unused bits) */
    static byte[] bitString(byte[] bytes) {
        return tagged(0x03, concat(new byte[] {0}, bytes));
    }

    /** @return an OCTET STRING */
    static byte[] octetString(byte[] content) {
        return tagged(0x04, content);
    }

    /** @return a BOOLEAN TRUE */
    static byte[] booleanTrue() {
        return new byte[] {0x01, 0x01, (byte) 0xff};
    }

    /** @return a PrintableString (the caller passes printable ASCII, as Go's encoder picks for "etcd") */
    static byte[] printableString(String text) {
        return tagged(0x13, text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both in whole seconds UTC.
     *
     * @return the time as a certificate's validity encodes it
     */
    static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() < 2050;
        String text = DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'").format(utc);
        return tagged(utcTime ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return a context-specific constructed (EXPLICIT) tag {@code [number]} around the content */
    static byte[] explicit(int number, byte[] content) {
        return tagged(0xa0 | number, content);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Finds the named curve of a SEC 1 ECPrivateKey: SEQUENCE { version, privateKey OCTET STRING,
     * [0] parameters OID, [1] publicKey }. PKCS#8 needs it in the AlgorithmIdentifier.
     *
     * @return the DER of the curve OID (tag, length, value)
     */
    static byte[] ecCurveOid(Path file, byte[] sec1) {
        int[] cursor = {0};
        expect(file, sec1, cursor, 0x30);
        length(file, sec1, cursor);
        while (cursor[0] < sec1.length) {
            int tag = sec1[cursor[0]] & 0xff;
            cursor[0]++;
            int length = length(file, sec1, cursor);
            if (tag == 0xa0) {
                int start = cursor[0];
                if ((sec1[start] & 0xff) != 0x06) {
                    break;
                }
                int[] inner = {start + 1};
                int oidLength = length(file, sec1, inner);
                return Arrays.copyOfRange(sec1, start, inner[0] + oidLength);
            }
            cursor[0] += length;
        }
        throw new TlsFileException(file + ": EC PRIVATE KEY without a named curve; re-export it with"
                + " openssl pkcs8 -topk8 -nocrypt");
    }

    private static void expect(Path file, byte[] der, int[] cursor, int tag) {
        if (der.length == 0 || (der[cursor[0]] & 0xff) != tag) {
            throw new TlsFileException(file + ": malformed DER in the private key");
        }
        cursor[0]++;
    }

    private static int length(Path file, byte[] der, int[] cursor) {
        if (cursor[0] >= der.length) {
            throw new TlsFileException(file + ": truncated DER in the private key");
        }
        int first = der[cursor[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7f;
        if (bytes > 3 || cursor[0] + bytes > der.length) {
            throw new TlsFileException(file + ": malformed DER length in the private key");
        }
        int length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (der[cursor[0]++] & 0xff);
        }
        return length;
    }
}
