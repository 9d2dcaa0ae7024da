package dev.keel.node.tls;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A port's key, certificate and trust, re-read when the files change on disk. Handshakes ask the key and trust
 * managers built here for the current material on every connection, so a swap takes effect for the next
 * handshake without restarting the server; existing connections keep the session they negotiated. A new file
 * that does not parse (or a key that does not match the certificate) is reported and the old material kept.
 */
public final class ReloadingTls {
    private static final String ALIAS = "keel";
    private static final char[] NO_PASSWORD = new char[0];

    private final TlsFiles files;
    private final Consumer<String> log;
    private final AtomicReference<Material> current = new AtomicReference<>();
    private final KeyManager keyManager = new KeyManager();
    private final TrustManager trustManager = new TrustManager();
    /** Whether the files are self-signed ({@code --auto-tls}): dialing then verifies nothing but a chain's presence. */
    private final boolean selfSigned;

    /** The context {@link #currentContext} hands out, and the material it was made for. */
    private final AtomicReference<CachedContext> cachedContext = new AtomicReference<>();

    private record CachedContext(X509ExtendedKeyManager keys, X509ExtendedTrustManager trust, SSLContext context) {
    }

    /** What was loaded and the file stamps it was loaded from (to tell when to reload). */
    private record Material(X509ExtendedKeyManager keys, X509ExtendedTrustManager trust,
                            X509Certificate leaf, List<String> stamps) {
    }

    /**
     * Loads the files now.
     *
     * @throws TlsFileException when they cannot be used: at startup a member must not come up without TLS
     */
    public ReloadingTls(TlsFiles files, Consumer<String> log) {
        this(files, false, log);
    }

    /**
     * Loads the files now.
     *
     * @param selfSigned whether the files are a generated self-signed certificate ({@code --auto-tls},
     *                   {@code --peer-auto-tls}), which no CA vouches for: {@link #dialTrustManager()} then accepts
     *                   any chain, as etcd's {@code InsecureSkipVerify} for self-signed material
     * @throws TlsFileException when they cannot be used: at startup a member must not come up without TLS
     */
    public ReloadingTls(TlsFiles files, boolean selfSigned, Consumer<String> log) {
        this.files = files;
        this.log = log;
        this.selfSigned = selfSigned;
        current.set(load());
    }

    /** @return whether the material is a self-signed {@code --auto-tls} certificate */
    public boolean selfSigned() {
        return selfSigned;
    }

    /** @return the files this material comes from */
    public TlsFiles files() {
        return files;
    }

    /** @return the certificate presented now */
    public X509Certificate leaf() {
        return current.get().leaf();
    }

    /** @return a key manager that always presents the current key and chain */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** @return a trust manager that always verifies against the current CA file (or the JDK's CAs without one) */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /**
     * The trust for verifying a server this member dials (itself, its leader, a peer): the CA file's (or the
     * JDK's CAs), except for self-signed material, where etcd skips verification ({@link AnyChainTrust}) because
     * each member's generated certificate is its own issuer and no other member could verify it.
     */
    public X509ExtendedTrustManager dialTrustManager() {
        return selfSigned ? new AnyChainTrust() : trustManager;
    }

    /** @return a JDK TLS context over the reloading key manager and {@link #dialTrustManager()}, for dialing */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {keyManager},
                    new javax.net.ssl.TrustManager[] {dialTrustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS context", e);
        }
    }

    /**
     * A context for the material in use now: the same one until the material changes, then a new one. A context
     * caches TLS sessions, and a resumed session skips the certificates; a fresh context after a reload makes the
     * next connection present and verify the new ones (etcd builds its {@code tls.Config} per handshake).
     *
     * @return a context over the reloading managers, cached per loaded material (thread-safe, cheap when cached)
     */
    public SSLContext currentContext() {
        Material material = current.get();
        CachedContext cached = cachedContext.get();
        if (cached != null && cached.keys() == material.keys() && cached.trust() == material.trust()) {
            return cached.context();
        }
        CachedContext fresh = new CachedContext(material.keys(), material.trust(), sslContext());
        // A racing caller may have made one too; either is correct for this material, keep the first stored.
        return cachedContext.compareAndSet(cached, fresh) ? fresh.context() : cachedContext.get().context();
    }

    /**
     * Re-reads the files if any changed (modification time or size) since the last load.
     *
     * @return whether new material is now in use
     */
    public boolean reloadIfChanged() {
        List<String> stamps = stamps();
        if (stamps.equals(current.get().stamps())) {
            return false;
        }
        try {
            Material fresh = load();
            current.set(fresh);
            log.accept("TLS: reloaded " + files.certFile() + " (serial " + fresh.leaf().getSerialNumber().toString(16)
                    + ")");
            return true;
        } catch (RuntimeException e) {
            // Half-written files are common while a tool replaces them; keep serving the old material and try
            // again at the next poll, whose stamps will differ again once the writer finishes.
            log.accept("TLS: keeping the current certificate, the new files cannot be used: " + e.getMessage());
            Material old = current.get();
            current.set(new Material(old.keys(), old.trust(), old.leaf(), stamps));
            return false;
        }
    }

    private Material load() {
        List<String> stamps = stamps();
        List<X509Certificate> chain = PemFiles.certificates(files.certFile());
        PrivateKey key = PemFiles.privateKey(files.keyFile());
        if (!KeyPairs.matches(key, chain.get(0))) {
            throw new TlsFileException(files.keyFile() + " is not the private key of the certificate in "
                    + files.certFile() + ": give the key the certificate was issued for");
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, NO_PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(files.trustedCaFile().isPresent() ? trustStore(files.trustedCaFile().get()) : null);
            return new Material((X509ExtendedKeyManager) kmf.getKeyManagers()[0],
                    (X509ExtendedTrustManager) tmf.getTrustManagers()[0], chain.get(0), stamps);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsFileException("cannot use " + files.certFile() + " / " + files.keyFile() + ": " + e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int index = 0;
        for (X509Certificate ca : PemFiles.certificates(caFile)) {
            store.setCertificateEntry("ca-" + index++, ca);
        }
        return store;
    }

    private List<String> stamps() {
        List<Path> paths = new ArrayList<>(List.of(files.certFile(), files.keyFile()));
        files.trustedCaFile().ifPresent(paths::add);
        List<String> stamps = new ArrayList<>();
        for (Path path : paths) {
            try {
                stamps.add(Files.getLastModifiedTime(path).toMillis() + ":" + Files.size(path));
            } catch (java.io.IOException missing) {
                stamps.add("missing");
            }
        }
        return stamps;
    }

    /** Presents whatever key and chain are current at the handshake. */
    private final class KeyManager extends X509ExtendedKeyManager {
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return current.get().keys().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return current.get().keys().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return current.get().keys().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.get().keys().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.get().keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current.get().keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return current.get().keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return current.get().keys().getPrivateKey(alias);
        }
    }

    /** Verifies against whatever CA file is current at the handshake. */
    private final class TrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current.get().trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current.get().trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current.get().trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current.get().trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.get().trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.get().trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.get().trust().getAcceptedIssuers();
        }
    }
}
