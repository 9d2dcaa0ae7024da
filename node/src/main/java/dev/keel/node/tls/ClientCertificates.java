package dev.keel.node.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The identity a client proved at the TLS handshake. etcd 3.4 ({@code AuthInfoFromTLS}) takes the subject CN of
 * the verified leaf certificate as the user name when {@code --client-cert-auth} is on; the auth interceptor
 * reads it from {@code ServiceRequestContext.current().sslSession()} through this helper.
 */
public final class ClientCertificates {
    private ClientCertificates() {
    }

    /**
     * @param session the call's TLS session, or null for a plaintext connection
     * @return the CN of the peer's leaf certificate, empty when the connection is plaintext, the peer sent no
     *     certificate (the JDK then throws {@link SSLPeerUnverifiedException}), or its subject has no CN
     */
    public static Optional<String> commonName(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return commonName(leaf);
    }

    /** @return the CN of the certificate's subject (the last one in DER order, as Go's {@code Subject.CommonName}), if any */
    public static Optional<String> commonName(X509Certificate certificate) {
        try {
            LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
            // LdapName lists RDNs least significant first (reverse of RFC 2253); Go's Subject.CommonName takes
            // the last CN of the DER sequence, which is the first one found walking from the end here.
            for (int i = subject.size() - 1; i >= 0; i--) {
                Rdn rdn = subject.getRdns().get(i);
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException unparsable) {
            return Optional.empty();
        }
    }
}
