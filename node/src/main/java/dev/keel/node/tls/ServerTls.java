package dev.keel.node.tls;

import com.linecorp.armeria.server.ServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;

/**
 * TLS on the client port: Armeria serves https with the reloading key manager (so a replaced certificate is
 * presented at the next handshake) and, with {@code --client-cert-auth}, requires a client certificate that the
 * CA file verifies, refusing the handshake otherwise, as etcd's {@code tls.RequireAndVerifyClientCert} does.
 */
public final class ServerTls {
    private ServerTls() {
    }

    /**
     * Makes every port of {@code server} https with this material.
     *
     * @param cipherSuites IANA names from {@code --cipher-suites}; empty keeps the JDK's defaults
     */
    public static void apply(ServerBuilder server, ReloadingTls tls, List<String> cipherSuites) {
        List<String> ciphers = checkedCipherSuites(cipherSuites);
        server.tls(new KeyManagerFactoryWrapper(tls.keyManager()));
        server.tlsCustomizer(ssl -> {
            ssl.trustManager(tls.trustManager());
            // Without --client-cert-auth etcd still asks nobody for a certificate (NoClientCert).
            ssl.clientAuth(tls.files().clientCertAuth() ? ClientAuth.REQUIRE : ClientAuth.NONE);
            if (!ciphers.isEmpty()) {
                ssl.ciphers(ciphers);
                // Go applies CipherSuites to TLS 1.2 only; restricting to 1.2 makes the list the whole truth.
                ssl.protocols("TLSv1.2");
            }
        });
    }

    /**
     * @return the names, each known to this JDK
     * @throws IllegalArgumentException naming the unknown suite and the accepted ones, as etcd's
     *     "unexpected TLS cipher suite" error does
     */
    public static List<String> checkedCipherSuites(List<String> names) {
        Set<String> supported;
        try {
            supported = new TreeSet<>(Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters()
                    .getCipherSuites()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        for (String name : names) {
            if (!supported.contains(name)) {
                throw new IllegalArgumentException("unexpected TLS cipher suite \"" + name + "\" in --cipher-suites;"
                        + " use IANA names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (supported: "
                        + String.join(",", supported) + ")");
            }
        }
        return List.copyOf(names);
    }
}
