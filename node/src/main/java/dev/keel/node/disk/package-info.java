/**
 * The replica's {@link dev.keel.replica.Disk} port on real files: {@link dev.keel.node.disk.FileDisk} (WAL
 * segments preallocated by a helper thread, one {@code fdatasync} per Ready batch, snapshot files replaced
 * atomically, a full device reported as {@code NO_SPACE}) and {@link dev.keel.node.disk.FsyncProbe}, which
 * measures what an {@code fdatasync} costs on a directory's device. The formats and the recovery rules are the
 * replica's; this package only moves bytes between buffers and files.
 */
package dev.keel.node.disk;
