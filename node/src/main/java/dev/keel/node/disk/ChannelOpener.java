package dev.keel.node.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the channels of WAL segments and snapshot files. The seam through which tests put a full device under
 * the disk (a channel that fails with ENOSPC after a byte budget) where no tiny file system can be mounted.
 */
@FunctionalInterface
interface ChannelOpener {
    /** The real file system. */
    ChannelOpener FILES = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
