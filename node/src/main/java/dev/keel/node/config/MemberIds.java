package dev.keel.node.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Member and cluster IDs computed as etcd computes them (SHA-1 of the sorted peer URLs and the cluster token;
 * SHA-1 of the sorted member IDs), so a cluster started with the same flags gets the same IDs on every member
 * without talking. Keel's Raft IDs are positive, so the top bit of etcd's unsigned 64-bit value is cleared: the
 * IDs shown differ from etcd's in that bit only (docs/compatibility.md).
 */
public final class MemberIds {
    private MemberIds() {
    }

    /** @return the member ID of a member with these peer URLs in the cluster named by {@code token} */
    public static long memberId(List<String> peerUrls, String token) {
        String[] sorted = peerUrls.toArray(new String[0]);
        Arrays.sort(sorted);
        byte[] urls = String.join("", sorted).getBytes(StandardCharsets.UTF_8);
        byte[] name = token.getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(urls, urls.length + name.length);
        System.arraycopy(name, 0, input, urls.length, name.length);
        return positive(ByteBuffer.wrap(sha1(input)).getLong());
    }

    /** @return the cluster ID of the cluster founded by these members */
    public static long clusterId(long[] memberIds) {
        long[] sorted = memberIds.clone();
        Arrays.sort(sorted);
        ByteBuffer b = ByteBuffer.allocate(8 * sorted.length);
        for (long id : sorted) {
            b.putLong(id);
        }
        return positive(ByteBuffer.wrap(sha1(b.array())).getLong());
    }

    /** @return the ID as etcd prints it: lowercase hex without leading zeros */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    private static long positive(long v) {
        long p = v & Long.MAX_VALUE;
        return p == 0 ? 1 : p;
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }
}
