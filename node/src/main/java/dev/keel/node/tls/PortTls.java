package dev.keel.node.tls;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What one port serves with once the flags are resolved ({@link AutoTls#resolve}): the files, and whether they
 * are the automatic self-signed ones.
 *
 * @param files      the certificate, key and trust to load; empty when the port has no TLS
 * @param selfSigned whether the files are {@code --auto-tls} / {@code --peer-auto-tls} output, in which case, as
 *                   in etcd, nobody can verify them: a member dialing a peer accepts any certificate chain
 *                   ({@link AnyChainTrust}) and client certificates are not asked for
 */
public record PortTls(Optional<TlsFiles> files, boolean selfSigned) {
    /** Refuses a null and a self-signed port without files. */
    public PortTls {
        if (files == null || (selfSigned && files.isEmpty())) {
            throw new IllegalArgumentException("a self-signed port has its generated files");
        }
    }

    /** @return whether a client must present a verified certificate (never with the self-signed files) */
    public boolean clientCertAuth() {
        return files.map(TlsFiles::clientCertAuth).orElse(false);
    }

    /**
     * The trust to verify the other side with when this member dials (a peer): with self-signed files etcd sets
     * {@code InsecureSkipVerify}, so any chain is accepted; otherwise the material's CA file (or the JDK's CAs).
     */
    public X509ExtendedTrustManager dialTrust(ReloadingTls material) {
        return selfSigned ? new AnyChainTrust() : material.trustManager();
    }

    /** @return a TLS context for dialing: the material's key and chain, {@link #dialTrust} to verify the peer */
    public SSLContext dialContext(ReloadingTls material) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {material.keyManager()},
                    new javax.net.ssl.TrustManager[] {dialTrust(material)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS context", e);
        }
    }
}
