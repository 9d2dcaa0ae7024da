package dev.keel.node.config;

import dev.keel.node.tls.ServerTls;

import java.net.URI;
import java.util.List;

/**
 * The member's TLS flags for both ports.
 *
 * @param client                      {@code --cert-file --key-file --trusted-ca-file --client-cert-auth --auto-tls}
 * @param peer                        the {@code --peer-*} equivalents
 * @param cipherSuites                {@code --cipher-suites}, IANA names, for both ports; empty keeps the defaults
 * @param selfSignedCertValidityYears {@code --self-signed-cert-validity}, years of an {@code --auto-tls} certificate
 */
public record TlsConfig(PortTlsFlags client, PortTlsFlags peer, List<String> cipherSuites,
                        int selfSignedCertValidityYears) {
    /** No TLS at all (etcd's defaults). */
    public static final TlsConfig NONE = new TlsConfig(PortTlsFlags.NONE, PortTlsFlags.NONE, List.of(), 1);

    /** Copies the list; refuses nulls and a non-positive validity. */
    public TlsConfig {
        if (client == null || peer == null || cipherSuites == null) {
            throw new IllegalArgumentException("TLS configuration parts must not be null");
        }
        cipherSuites = List.copyOf(cipherSuites);
        if (selfSignedCertValidityYears < 1) {
            throw new IllegalArgumentException("--self-signed-cert-validity must be at least 1 (years)");
        }
    }

    /**
     * Checks what etcd checks when it opens its listeners.
     *
     * @throws IllegalArgumentException saying which flag to give or change
     */
    void validate(List<String> listenClientUrls, List<String> listenPeerUrls) {
        client.files("--");
        peer.files("--peer-");
        ServerTls.checkedCipherSuites(cipherSuites);
        boolean clientHttps = anyHttps(listenClientUrls);
        if (clientHttps && !allHttps(listenClientUrls)) {
            throw new IllegalArgumentException("--listen-client-urls mixes http and https; Keel serves one scheme per"
                    + " member: make them all https (or all http)");
        }
        for (String url : listenClientUrls) {
            // --auto-tls makes the certificate at startup (AutoTls), so only a port with neither lacks one.
            if (isHttps(url) && client.empty() && !client.autoTls()) {
                throw new IllegalArgumentException("TLS key/cert (--cert-file, --key-file) must be provided for"
                        + " client url " + url + " with HTTPS scheme");
            }
        }
        for (String url : listenPeerUrls) {
            if (isHttps(url) && peer.empty() && !peer.autoTls()) {
                throw new IllegalArgumentException("TLS key/cert (--peer-cert-file, --peer-key-file) must be provided"
                        + " for peer url " + url + " with HTTPS scheme");
            }
        }
        if (anyHttps(listenPeerUrls) && !allHttps(listenPeerUrls)) {
            throw new IllegalArgumentException("--listen-peer-urls mixes http and https; Keel serves one scheme per"
                    + " member: make them all https (or all http)");
        }
    }

    /**
     * Checks that every peer URL this member knows speaks one scheme. The peer transport has one TLS setting for
     * the connections it accepts and those it dials, so a member cannot talk TLS to some peers and plaintext to
     * others (etcd can): a cluster's peer URLs are all https or all http.
     *
     * @param listenPeerUrls    {@code --listen-peer-urls}
     * @param clusterPeerUrls   {@code --initial-advertise-peer-urls} and every URL of {@code --initial-cluster}
     * @throws IllegalArgumentException naming the URLs whose scheme differs from the listen URLs'
     */
    static void validatePeerSchemes(List<String> listenPeerUrls, List<String> clusterPeerUrls) {
        boolean tls = anyHttps(listenPeerUrls);
        List<String> odd = clusterPeerUrls.stream().filter(u -> isHttps(u) != tls).distinct().toList();
        if (!odd.isEmpty()) {
            throw new IllegalArgumentException("peer URLs mix http and https: --listen-peer-urls is "
                    + (tls ? "https" : "http") + " but --initial-cluster/--initial-advertise-peer-urls give "
                    + String.join(",", odd) + "; Keel speaks one scheme between the members of a cluster: make every"
                    + " peer URL https (with --peer-cert-file and --peer-key-file) or every one http");
        }
    }

    /** @return whether any of the URLs is https */
    public static boolean anyHttps(List<String> urls) {
        return urls.stream().anyMatch(TlsConfig::isHttps);
    }

    private static boolean allHttps(List<String> urls) {
        return urls.stream().allMatch(TlsConfig::isHttps);
    }

    static boolean isHttps(String url) {
        return "https".equals(URI.create(url).getScheme());
    }
}
