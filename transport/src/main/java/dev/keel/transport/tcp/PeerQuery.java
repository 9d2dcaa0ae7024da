package dev.keel.transport.tcp;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSocket;

/**
 * Asks a running member, over its peer port, what its host answers queries with ({@link
 * TcpTransport#answerQueriesWith}) — for a member that joins an existing cluster and must learn its own ID and
 * its peers' before it can open its transport (etcd's joining member fetches the member list from a peer's
 * {@code /members}). A query is a handshake from member 0 expecting member 0, with the cluster token's hash:
 * a member of another cluster refuses it like any handshake; the answer is the other side's handshake, whose
 * member info carries the answer. Blocking; for start-up only.
 */
public final class PeerQuery {
    private PeerQuery() {
    }

    static boolean isQuery(Handshake handshake) {
        return handshake.senderId() == 0 && handshake.expectedId() == 0;
    }

    /**
     * @return the answer of the member at {@code address} and the member ID it answered as, or throws
     * @throws IOException when it cannot be reached, refuses, or answers something else than a handshake
     */
    public static Answer ask(InetSocketAddress address, String clusterToken, int timeoutMillis) throws IOException {
        return ask(address, clusterToken, timeoutMillis, null);
    }

    /**
     * As {@link #ask(InetSocketAddress, String, int)}, over TLS when {@code tls} is set: the members' peer ports
     * speak TLS, so the query does too, as the TLS client with this member's peer certificate (an accepting
     * member with {@code --peer-client-cert-auth} refuses a query without one, as it refuses a peer).
     *
     * @param tls the peer port's TLS settings, or null for plaintext
     * @throws IOException also when the TLS handshake fails (untrusted certificate, plaintext port, ...)
     */
    public static Answer ask(InetSocketAddress address, String clusterToken, int timeoutMillis, PeerTls tls)
            throws IOException {
        byte[] tokenHash = Handshake.hashToken(clusterToken);
        Handshake query = new Handshake(0, 0, new byte[0]);
        ByteBuffer frame = ByteBuffer.allocate(query.frameLength());
        query.writeFrame(frame, tokenHash);
        try (Socket plain = new Socket(); Socket socket = connect(plain, address, tls, timeoutMillis)) {
            OutputStream out = socket.getOutputStream();
            out.write(frame.array(), 0, frame.position());
            out.flush();
            InputStream in = socket.getInputStream();
            DataInputStream data = new DataInputStream(in);
            int length = data.readInt();
            if (length < Handshake.FIXED_BYTES || length > Handshake.MAX_FRAME_BYTES) {
                throw new IOException("the member at " + address + " answered a frame of " + length + " bytes");
            }
            byte[] payload = new byte[length];
            data.readFully(payload);
            Handshake answer;
            try {
                answer = Handshake.read(new UnsafeBuffer(payload), 0, length, tokenHash);
            } catch (ProtocolException e) {
                throw new IOException("the member at " + address + " answered: " + e.getMessage(), e);
            }
            return new Answer(answer.senderId(), answer.memberInfo());
        }
    }

    /** Connects {@code plain}; with {@code tls}, also runs the TLS handshake over it as the TLS client. */
    private static Socket connect(Socket plain, InetSocketAddress address, PeerTls tls, int timeoutMillis)
            throws IOException {
        plain.connect(address, timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        if (tls == null) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) tls.context().get().getSocketFactory()
                .createSocket(plain, address.getHostString(), address.getPort(), true);
        socket.setUseClientMode(true);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the answering member's certificate names its host
        socket.setSSLParameters(parameters);
        socket.setEnabledProtocols(TlsChannel.PROTOCOLS);
        if (!tls.cipherSuites().isEmpty()) {
            socket.setEnabledCipherSuites(tls.cipherSuites().toArray(String[]::new));
        }
        socket.startHandshake();
        return socket;
    }

    /**
     * @param memberId the ID of the member that answered
     * @param info     what its host answers queries with
     */
    public record Answer(long memberId, byte[] info) {
    }
}
