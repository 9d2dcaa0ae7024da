package dev.keel.kernel.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The auth store's deterministic snapshot format (little-endian): magic, version, enabled, revision, users
 * (name, hash, roles), roles (name, permissions: type, key, end). Names and collections are written in their
 * sorted order, so equal stores give equal bytes.
 */
final class AuthCodec {
    static final int MAGIC = 0x4B415554; // "KAUT"
    static final byte VERSION = 1;

    private AuthCodec() {
    }

    static int write(AuthStore s, MutableDirectBuffer buf, int offset) {
        int p = offset;
        buf.putInt(p, MAGIC);
        buf.putByte(p + 4, VERSION);
        buf.putByte(p + 5, (byte) (s.enabled ? 1 : 0));
        buf.putLong(p + 6, s.revision);
        p += 14;
        buf.putInt(p, s.users.size());
        p += 4;
        for (AuthUser u : s.users.values()) {
            p = bytes(buf, p, utf8(u.name()));
            p = bytes(buf, p, u.passwordHash());
            buf.putInt(p, u.roles().size());
            p += 4;
            for (String r : u.roles()) {
                p = bytes(buf, p, utf8(r));
            }
        }
        buf.putInt(p, s.roles.size());
        p += 4;
        for (var e : s.roles.entrySet()) {
            p = bytes(buf, p, utf8(e.getKey()));
            buf.putInt(p, e.getValue().size());
            p += 4;
            for (Permission perm : e.getValue()) {
                buf.putByte(p++, (byte) perm.type().ordinal());
                p = bytes(buf, p, perm.key());
                p = bytes(buf, p, perm.rangeEnd());
            }
        }
        return p - offset;
    }

    static int length(AuthStore s) {
        return write(s, new ExpandableArrayBuffer(256), 0);
    }

    static boolean sameBytes(AuthStore a, AuthStore b) {
        ExpandableArrayBuffer x = new ExpandableArrayBuffer(256);
        ExpandableArrayBuffer y = new ExpandableArrayBuffer(256);
        int lx = write(a, x, 0);
        int ly = write(b, y, 0);
        return lx == ly && Arrays.equals(
                Arrays.copyOf(x.byteArray(), lx), Arrays.copyOf(y.byteArray(), ly));
    }

    private static int bytes(MutableDirectBuffer buf, int p, byte[] b) {
        buf.putInt(p, b.length);
        buf.putBytes(p + 4, b);
        return p + 4 + b.length;
    }

    /** UTF-8 through Agrona: the kernel's purity rule keeps {@code java.nio.charset} out. */
    private static byte[] utf8(String s) {
        ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(s.length() * 3 + 1);
        int n = scratch.putStringWithoutLengthUtf8(0, s);
        byte[] b = new byte[n];
        scratch.getBytes(0, b);
        return b;
    }

    /** Thrown only inside the decoder and always caught there. */
    private static final class Garbage extends Exception {
        Garbage(String why) {
            super(why, null, false, false);
        }
    }

    static AuthStore.Decoded read(DirectBuffer buf, int offset, int length) {
        try {
            if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
                throw new Garbage("range outside the buffer");
            }
            Reader r = new Reader(buf, offset, offset + length);
            AuthStore s = r.store();
            if (r.pos != offset + length) {
                throw new Garbage((offset + length - r.pos) + " trailing bytes");
            }
            String broken = AuthInvariants.firstBroken(s);
            if (broken != null) {
                throw new Garbage(broken);
            }
            return new AuthStore.Decoded(s, null);
        } catch (Garbage g) {
            return new AuthStore.Decoded(null, "auth snapshot refused: " + g.getMessage());
        }
    }

    private static final class Reader {
        final DirectBuffer buf;
        final int end;
        int pos;

        Reader(DirectBuffer buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        AuthStore store() throws Garbage {
            need(14);
            if (buf.getInt(pos) != MAGIC || buf.getByte(pos + 4) != VERSION) {
                throw new Garbage("bad magic or version");
            }
            byte en = buf.getByte(pos + 5);
            if (en != 0 && en != 1) {
                throw new Garbage("bad enabled flag " + en);
            }
            AuthStore s = new AuthStore();
            s.enabled = en == 1;
            s.revision = buf.getLong(pos + 6);
            pos += 14;
            int nUsers = count(12);
            String prev = null;
            for (int i = 0; i < nUsers; i++) {
                String name = name(prev);
                byte[] hash = bytes();
                int nRoles = count(4);
                List<String> roles = new ArrayList<>(nRoles);
                for (int j = 0; j < nRoles; j++) {
                    roles.add(string());
                }
                s.users.put(name, new AuthUser(name, hash, roles));
                prev = name;
            }
            int nRoles = count(8);
            prev = null;
            for (int i = 0; i < nRoles; i++) {
                String name = name(prev);
                int nPerms = count(9);
                List<Permission> perms = new ArrayList<>(nPerms);
                for (int j = 0; j < nPerms; j++) {
                    need(1);
                    int t = buf.getByte(pos++);
                    if (t < 0 || t >= PermissionType.values().length) {
                        throw new Garbage("bad permission type " + t);
                    }
                    perms.add(new Permission(PermissionType.values()[t], bytes(), bytes()));
                }
                s.roles.put(name, List.copyOf(perms));
                prev = name;
            }
            return s;
        }

        private String name(String prev) throws Garbage {
            String name = string();
            if (name.isEmpty() || prev != null && AuthStore.NAME_ORDER.compare(prev, name) >= 0) {
                throw new Garbage("names empty, unsorted or repeated at byte " + pos);
            }
            return name;
        }

        private void need(int n) throws Garbage {
            if (n < 0 || end - pos < n) {
                throw new Garbage("truncated at byte " + pos);
            }
        }

        /** A count whose entries take at least {@code minEach} bytes, so a huge count cannot allocate. */
        private int count(int minEach) throws Garbage {
            need(4);
            int n = buf.getInt(pos);
            pos += 4;
            if (n < 0 || (long) n * minEach > end - pos) {
                throw new Garbage("bad count " + n + " at byte " + (pos - 4));
            }
            return n;
        }

        private byte[] bytes() throws Garbage {
            need(4);
            int n = buf.getInt(pos);
            pos += 4;
            need(n);
            byte[] b = new byte[n];
            buf.getBytes(pos, b);
            pos += n;
            return b;
        }

        private String string() throws Garbage {
            int start = pos;
            byte[] raw = bytes();
            String s = new org.agrona.concurrent.UnsafeBuffer(raw).getStringWithoutLengthUtf8(0, raw.length);
            // Invalid UTF-8 decodes to replacement characters, so it does not encode back to the same bytes.
            if (!Arrays.equals(raw, utf8(s))) {
                throw new Garbage("name is not UTF-8 at byte " + start);
            }
            return s;
        }
    }
}
