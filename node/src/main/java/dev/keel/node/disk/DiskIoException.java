package dev.keel.node.disk;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An I/O error the node cannot continue after (anything but a full device): the message names the operation
 * and the file. The host exits on it, as etcd panics when an fsync fails — after a failed fsync the page cache
 * and the device may disagree, and retrying could report data durable that is not.
 */
public final class DiskIoException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    public DiskIoException(String message, IOException cause) {
        super(message, cause);
    }
}
