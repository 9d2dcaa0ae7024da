package dev.keel.node.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any certificate chain, but requires one: what etcd's {@code --peer-auto-tls} does, whose dialing side
 * sets Go's {@code InsecureSkipVerify} because a self-signed peer certificate has no CA to be verified against.
 * The handshake still proves that the other side holds the private key of the certificate it presents (TLS's
 * CertificateVerify / key exchange), and the traffic is encrypted; what is lost is who that side is: neither
 * the issuer, the names nor the validity dates are checked, so anyone on the network path who can answer on the
 * peer's address can impersonate it. Use certificate files from a CA ({@code --peer-cert-file} and friends) where
 * that matters. No hostname check happens either: a custom {@link X509ExtendedTrustManager} is trusted to do it.
 */
public final class AnyChainTrust extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private static void requireChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the other side presented no certificate");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        requireChain(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
