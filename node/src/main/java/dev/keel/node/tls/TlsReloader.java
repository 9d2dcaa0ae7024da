package dev.keel.node.tls;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the TLS files of a member's ports every few seconds on one daemon thread, so an operator (or
 * cert-manager) replacing a certificate needs no restart. Polling mtime and size is portable, unlike file-system
 * watch services, which miss the atomic renames such tools do on some platforms.
 */
public final class TlsReloader implements AutoCloseable {
    private final ScheduledExecutorService timer;

    /** Starts polling the given materials every {@code periodMillis}. */
    public TlsReloader(List<ReloadingTls> materials, long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("reload period must be positive: " + periodMillis);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "keel-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        List<ReloadingTls> polled = List.copyOf(materials);
        timer.scheduleWithFixedDelay(() -> polled.forEach(ReloadingTls::reloadIfChanged), periodMillis,
                periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
