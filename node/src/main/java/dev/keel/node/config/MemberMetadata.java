package dev.keel.node.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the node keeps about a member in the replica's member registry (and a configuration change's
 * context): its peer URLs, comma-separated UTF-8 — what every member needs to dial it.
 */
public final class MemberMetadata {
    private MemberMetadata() {
    }

    /** @return the metadata bytes for these peer URLs */
    public static byte[] encode(List<String> peerUrls) {
        return String.join(",", peerUrls).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the peer URLs in metadata bytes (null or empty: none) */
    public static List<String> decode(byte[] metadata) {
        if (metadata == null || metadata.length == 0) {
            return List.of();
        }
        return List.copyOf(Arrays.asList(new String(metadata, StandardCharsets.UTF_8).split(",")));
    }
}
