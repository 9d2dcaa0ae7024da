package dev.keel.node.tls;

/** A certificate, key or CA file that cannot be used; the message names the file and what to do. */
public final class TlsFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with which file */
    public TlsFileException(String message) {
        super(message);
    }
}
