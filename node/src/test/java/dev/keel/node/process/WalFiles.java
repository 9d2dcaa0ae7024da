package dev.keel.node.process;

import dev.keel.replica.wal.WalRecord;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and damages a stopped member's WAL segments ({@code <data-dir>/member/wal/<16 hex digits>.wal}, format
 * in {@link WalRecord}) the way a crash or a failing disk would, for recovery tests.
 */
public final class WalFiles {
    private WalFiles() {
    }

    /**
     * One record found in a segment.
     *
     * @param offset        where its header starts
     * @param payloadLength bytes after the header
     * @param type          {@link WalRecord#HARD_STATE}, {@link WalRecord#ENTRY} or {@link WalRecord#SNAPSHOT_MARKER}
     * @param payload       the payload's bytes
     */
    public record Record(int offset, int payloadLength, byte type, byte[] payload) {
        /** @return the offset just past the record */
        public int end() {
            return offset + WalRecord.HEADER + payloadLength;
        }
    }

    /** @return the segment files in {@code walDir}, oldest first */
    public static List<Path> segments(Path walDir) {
        try (Stream<Path> files = Files.list(walDir)) {
            return files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}\\.wal")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the segment's sequence number, from its file name */
    public static long sequence(Path segment) {
        return Long.parseUnsignedLong(segment.getFileName().toString().substring(0, 16), 16);
    }

    /**
     * @return the intact records of {@code segment} in order, up to the first that does not check out (the
     *         preallocated zeros after the last record, or damage)
     */
    public static List<Record> records(Path segment) {
        byte[] bytes = read(segment);
        UnsafeBuffer wal = new UnsafeBuffer(bytes);
        List<Record> out = new ArrayList<>();
        int at = 0;
        while (at + WalRecord.HEADER <= bytes.length) {
            int length = wal.getInt(at + WalRecord.LENGTH_OFFSET, WalRecord.ORDER);
            if (length < 1 || length > bytes.length - at - WalRecord.HEADER
                    || WalRecord.crc(wal, at + WalRecord.HEADER, length)
                    != wal.getInt(at + WalRecord.PAYLOAD_CRC_OFFSET, WalRecord.ORDER)) {
                break;
            }
            byte[] payload = new byte[length];
            wal.getBytes(at + WalRecord.HEADER, payload);
            out.add(new Record(at, length, payload[WalRecord.TYPE_OFFSET], payload));
            at += WalRecord.HEADER + length;
        }
        return out;
    }

    /** Cuts {@code segment} to {@code length} bytes: a crash that persisted only a prefix of the last write. */
    public static void truncate(Path segment, long length) {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inverts every bit of the byte at {@code offset}: a bit rot inside data that was acknowledged. */
    public static void flipByte(Path segment, long offset) {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(one, offset) != 1) {
                throw new IllegalArgumentException(segment + " has no byte at " + offset);
            }
            one.put(0, (byte) ~one.get(0)).rewind();
            ch.write(one, offset);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path segment) {
        try {
            return Files.readAllBytes(segment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
