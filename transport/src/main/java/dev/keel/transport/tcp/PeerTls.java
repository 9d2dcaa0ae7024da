package dev.keel.transport.tcp;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * TLS on the peer port, as etcd's {@code --peer-*} flags set it up. Both sides of every peer connection use it:
 * the dialling member is the TLS client, the accepting member the TLS server.
 *
 * @param context           called for every new connection, so a reloaded certificate is used from the next
 *                          connection on (the supplier caches; it must be cheap and thread-safe)
 * @param requireClientCert {@code --peer-client-cert-auth}: an accepting member refuses a peer that presents no
 *                          certificate signed by its trusted CA
 * @param cipherSuites      {@code --cipher-suites} (IANA names, as Go and Java both spell them); empty means the
 *                          JVM's defaults
 */
public record PeerTls(Supplier<SSLContext> context, boolean requireClientCert, List<String> cipherSuites) {
    public PeerTls {
        Objects.requireNonNull(context, "context");
        cipherSuites = List.copyOf(cipherSuites);
    }
}
