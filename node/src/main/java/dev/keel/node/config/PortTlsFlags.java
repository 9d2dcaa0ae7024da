package dev.keel.node.config;

import dev.keel.node.tls.TlsFiles;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One port's TLS flags as etcd 3.4 names them: {@code --cert-file --key-file --trusted-ca-file --client-cert-auth
 * --auto-tls} for the client port, the {@code --peer-*} set for the peer port.
 *
 * @param certFile       the PEM certificate chain the member presents
 * @param keyFile        the PEM private key of that certificate
 * @param trustedCaFile  the PEM CA bundle client certificates must chain to
 * @param clientCertAuth whether a client must present a certificate that the CA file verifies
 * @param autoTls        whether to generate a self-signed certificate ({@code --auto-tls})
 */
public record PortTlsFlags(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> trustedCaFile,
                           boolean clientCertAuth, boolean autoTls) {
    /** No TLS flags given. */
    public static final PortTlsFlags NONE = new PortTlsFlags(Optional.empty(), Optional.empty(), Optional.empty(),
            false, false);

    /** Nulls are refused: an absent file is {@link Optional#empty()}. */
    public PortTlsFlags {
        if (certFile == null || keyFile == null || trustedCaFile == null) {
            throw new IllegalArgumentException("TLS file flags are Optional, never null");
        }
    }

    /** @return whether neither a certificate nor a key is given (etcd's {@code TLSInfo.Empty()}) */
    public boolean empty() {
        return certFile.isEmpty() && keyFile.isEmpty();
    }

    /**
     * @param prefix {@code "--"} or {@code "--peer-"}, to name the flags in errors
     * @return the files to load, or empty when no certificate is given
     * @throws IllegalArgumentException when only one of the certificate and the key is given, or client-cert-auth
     *                                  has no CA to verify with
     */
    public Optional<TlsFiles> files(String prefix) {
        if (empty()) {
            return Optional.empty();
        }
        if (certFile.isEmpty() || keyFile.isEmpty()) {
            throw new IllegalArgumentException(prefix + "cert-file and " + prefix + "key-file must be given together"
                    + " (the certificate and its private key, PEM)");
        }
        if (clientCertAuth && trustedCaFile.isEmpty()) {
            throw new IllegalArgumentException(prefix + "client-cert-auth needs " + prefix + "trusted-ca-file: the CA"
                    + " bundle that client certificates must chain to");
        }
        return Optional.of(new TlsFiles(certFile.get(), keyFile.get(), trustedCaFile, clientCertAuth));
    }
}
