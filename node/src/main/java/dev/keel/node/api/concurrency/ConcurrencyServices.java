package dev.keel.node.api.concurrency;

import dev.keel.node.tls.ReloadingTls;
import java.util.Optional;
import java.util.function.Supplier;

/** The lock and election services of one member, sharing one client of its own KV and Watch services. */
public final class ConcurrencyServices implements AutoCloseable {
    private final SelfClient client;
    private final LockService lock;
    private final ElectionService election;

    /**
     * @param selfUrl this member's client URL, read when the first request arrives (its port is bound by then)
     * @param tls     the client port's TLS material when it serves https (trusted and presented when calling it)
     */
    public ConcurrencyServices(Supplier<String> selfUrl, Optional<ReloadingTls> tls) {
        this.client = new SelfClient(selfUrl, tls);
        Recipes recipes = new Recipes(client);
        this.lock = new LockService(recipes);
        this.election = new ElectionService(recipes);
    }

    public LockService lock() {
        return lock;
    }

    public ElectionService election() {
        return election;
    }

    @Override
    public void close() {
        client.close();
    }
}
