package dev.keel.node.tls;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one port serves with once the flags are resolved ({@link AutoTls#resolve}): the files, and whether they
 * are the automatic self-signed ones.
 *
 * @param files      the certificate, key and trust to load; empty when the port has no TLS
 * @param selfSigned whether the files are {@code --auto-tls} / {@code --peer-auto-tls} output, in which case, as
 *                   in etcd, nobody can verify them: a member dialing a peer accepts any certificate chain
 *                   ({@link ReloadingTls#dialTrustManager()}) and client certificates are not asked for
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
     * Loads the files (reloaded later as any others), marked self-signed when they are, so that dialing with them
     * skips verification as etcd does ({@link ReloadingTls#dialTrustManager()}).
     *
     * @return the material, or empty when the port has no TLS
     * @throws TlsFileException when the files cannot be used
     */
    public Optional<ReloadingTls> load(Consumer<String> log) {
        return files.map(f -> new ReloadingTls(f, selfSigned, log));
    }
}
