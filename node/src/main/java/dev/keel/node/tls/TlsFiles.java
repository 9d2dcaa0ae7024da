package dev.keel.node.tls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One port's TLS files as etcd's flags name them ({@code --cert-file --key-file --trusted-ca-file
 * --client-cert-auth}, or the {@code --peer-*} set).
 *
 * @param certFile the PEM certificate chain this member presents
 * @param keyFile the PEM private key of that certificate
 * @param trustedCaFile the PEM CA bundle that client certificates must chain to; empty trusts the JDK's CAs
 * @param clientCertAuth whether a client must present a certificate the CA file verifies
 */
public record TlsFiles(Path certFile, Path keyFile, Optional<Path> trustedCaFile, boolean clientCertAuth) {
    /** Checks the invariants: a certificate always has its key, and client-cert-auth needs a CA to verify with. */
    public TlsFiles {
        if (certFile == null || keyFile == null || trustedCaFile == null) {
            throw new IllegalArgumentException("cert file and key file are both required (use Optional for the CA)");
        }
        if (clientCertAuth && trustedCaFile.isEmpty()) {
            throw new IllegalArgumentException("client-cert-auth needs a trusted CA file to verify clients with");
        }
    }
}
