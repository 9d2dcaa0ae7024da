package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.keel.kernel.raft.MessageLayout.ORDER;

/**
 * A single-member configuration change, the payload of a {@link EntryType#CONF_CHANGE} entry:
 * {@code version u8 | type u8 | pad u16 | contextLength i32 | member i64 | context bytes}. The context is
 * opaque to Raft (the node stores the new member's peer URLs there).
 */
public final class ConfChange {
    public static final byte ADD_VOTER = 1;
    public static final byte ADD_LEARNER = 2;
    public static final byte REMOVE = 3;
    public static final byte PROMOTE = 4;
    /**
     * Changes no configuration: a member's context (its peer URLs) is replaced (etcd's ConfChangeUpdateNode).
     * It goes through the same one-change-at-a-time rule as the others, so updates and membership changes are
     * applied in one order everywhere.
     */
    public static final byte UPDATE = 5;

    static final byte VERSION = 1;
    static final int HEADER_LENGTH = 16;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /** @return bytes {@link #encode} writes */
    public static int encodedLength(int contextLength) {
        return HEADER_LENGTH + contextLength;
    }

    /** Encodes a change; returns its length. */
    public static int encode(MutableDirectBuffer out, int at, byte type, long member, DirectBuffer context,
                             int contextOffset, int contextLength) {
        out.putByte(at, VERSION);
        out.putByte(at + 1, type);
        out.putShort(at + 2, (short) 0, ORDER);
        out.putInt(at + 4, contextLength, ORDER);
        out.putLong(at + 8, member, ORDER);
        if (contextLength > 0) {
            out.putBytes(at + HEADER_LENGTH, context, contextOffset, contextLength);
        }
        return HEADER_LENGTH + contextLength;
    }

    /** @return whether the type is a known change */
    public static boolean isValidType(int type) {
        return type >= ADD_VOTER && type <= UPDATE;
    }

    /** @return the type's name */
    public static String name(int type) {
        switch (type) {
            case ADD_VOTER: return "add-voter";
            case ADD_LEARNER: return "add-learner";
            case REMOVE: return "remove";
            case PROMOTE: return "promote";
            case UPDATE: return "update";
            default: return "change?" + type;
        }
    }

    /**
     * Points this flyweight at an encoded change.
     *
     * @return false if the bytes are not a valid change (nothing else may then be read)
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return length >= HEADER_LENGTH && buffer.getByte(offset) == VERSION && isValidType(type())
                && buffer.getShort(offset + 2, ORDER) == 0 && member() > 0
                && buffer.getInt(offset + 4, ORDER) == length - HEADER_LENGTH;
    }

    public byte type() {
        return buffer.getByte(offset + 1);
    }

    public long member() {
        return buffer.getLong(offset + 8, ORDER);
    }

    public int contextOffset() {
        return offset + HEADER_LENGTH;
    }

    public int contextLength() {
        return length - HEADER_LENGTH;
    }

    /** Applies the change to {@code conf}. Re-applying a change already in effect changes nothing. */
    public void applyTo(ConfState conf) {
        long id = member();
        switch (type()) {
            case ADD_VOTER:
            case PROMOTE:
                if (type() == ADD_VOTER || conf.isLearner(id)) {
                    conf.addVoter(id);
                }
                break;
            case ADD_LEARNER:
                conf.addLearner(id);
                break;
            case UPDATE:
                break; // the context changes, not the configuration
            default:
                conf.remove(id);
                break;
        }
    }
}
