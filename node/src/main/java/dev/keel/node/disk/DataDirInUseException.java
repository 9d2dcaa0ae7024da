package dev.keel.node.disk;

import java.nio.file.Path;

/** Another process (or another disk in this one) holds the data directory's lock: two members on one WAL would corrupt it. */
public final class DataDirInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DataDirInUseException(Path dataDir) {
        super("data dir " + dataDir + " is in use by another process");
    }
}
