package dev.keel.kernel.raft;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfStateTest {

    @Test
    void membershipOperationsKeepSetsSortedAndDisjoint() {
        ConfState c = ConfState.ofVoters(3, 1, 2);
        assertEquals("voters=(1 2 3)", c.toString());
        c.addLearner(5);
        c.addLearner(2); // a voter cannot become a learner this way
        assertTrue(c.isVoter(2));
        assertTrue(c.isLearner(5));
        c.addVoter(5); // promotion
        assertFalse(c.isLearner(5));
        assertEquals(4, c.voterCount());
        assertEquals(3, c.quorum());
        c.remove(1);
        c.remove(42);
        assertEquals("voters=(2 3 5)", c.toString());
        assertThrows(IllegalArgumentException.class, () -> c.addVoter(0));
    }

    @Test
    void encodingRoundTripsAndRejectsNonsense() {
        ConfState c = ConfState.ofVoters(1, 2);
        c.addLearner(7);
        ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        int n = c.encode(b, 0);
        ConfState d = new ConfState();
        assertEquals(n, d.decode(b, 0, n));
        assertEquals(c, d);
        assertEquals(-1, d.decode(b, 0, n - 1));
        UnsafeBuffer duplicate = new UnsafeBuffer(new byte[24]);
        duplicate.putInt(0, 2);
        duplicate.putLong(8, 1);
        duplicate.putLong(16, 1);
        assertEquals(-1, d.decode(duplicate, 0, 24));
    }

    @Test
    void confChangeEntriesValidateAndApplyIdempotently() {
        ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        int n = ConfChange.encode(b, 0, ConfChange.PROMOTE, 4, new UnsafeBuffer(new byte[]{1}), 0, 1);
        ConfChange change = new ConfChange();
        assertTrue(change.wrap(b, 0, n));
        assertEquals(4, change.member());
        assertEquals(1, change.contextLength());
        ConfState c = ConfState.ofVoters(1);
        c.addLearner(4);
        change.applyTo(c);
        change.applyTo(c);
        assertEquals(ConfState.ofVoters(1, 4), c);
        assertFalse(change.wrap(b, 0, n - 1));
    }

    @Test
    void updateCarriesAContextAndChangesNoConfiguration() {
        ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        byte[] urls = "http://10.0.0.2:2380".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = ConfChange.encode(b, 0, ConfChange.UPDATE, 2, new UnsafeBuffer(urls), 0, urls.length);
        ConfChange change = new ConfChange();
        assertTrue(change.wrap(b, 0, n));
        assertEquals("update", ConfChange.name(change.type()));
        byte[] read = new byte[change.contextLength()];
        b.getBytes(change.contextOffset(), read);
        assertEquals("http://10.0.0.2:2380", new String(read, java.nio.charset.StandardCharsets.UTF_8));
        ConfState c = ConfState.ofVoters(1, 2);
        c.addLearner(3);
        ConfState before = new ConfState();
        before.copyFrom(c);
        change.applyTo(c);
        assertEquals(before, c);
    }

    @Test
    void foundersEntriesCarryTheirContexts() {
        InMemoryLogStorage storage = new InMemoryLogStorage(new ConfState());
        RaftNode.bootstrap(RaftConfig.defaults(1, 7), storage, ConfState.ofVoters(1, 2),
                id -> id == 2 ? new byte[]{42} : null);
        EntryView e = new EntryView();
        ConfChange change = new ConfChange();
        storage.entry(1, e);
        assertTrue(change.wrap(e.buffer(), e.offset(), e.length()));
        assertEquals(0, change.contextLength());
        storage.entry(2, e);
        assertTrue(change.wrap(e.buffer(), e.offset(), e.length()));
        assertEquals(2, change.member());
        assertEquals(1, change.contextLength());
        assertEquals(42, e.buffer().getByte(change.contextOffset()));
    }
}
