package dev.keel.node.tls;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;

/** The little DER reading and writing that wrapping SEC 1 and PKCS#1 keys into PKCS#8 needs. */
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
