package dev.keel.node;

import io.grpc.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API threads' hand-off to the kernel thread: the inbox ring and the table of calls in flight. */
class HandOffTest {
    private static final class Recording extends Reply {
        final List<String> answers = new ArrayList<>();

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            answers.add("ok");
        }

        @Override
        public void failed(Status status) {
            answers.add(status.getCode() + ": " + status.getDescription());
        }
    }

    @Test
    void recordsArriveInOrderWithTheirTokensAndBodies() {
        Inbox inbox = new Inbox(1024);
        for (int i = 0; i < 100; i++) {
            byte[] body = ("request " + i).getBytes(StandardCharsets.UTF_8);
            assertTrue(inbox.offer(RequestGate.WRITE, 1000 + i, new UnsafeBuffer(body), 0, body.length));
        }
        List<String> seen = new ArrayList<>();
        int n = inbox.drain((type, token, b, off, len) -> {
            byte[] bytes = new byte[len];
            b.getBytes(off, bytes);
            seen.add(type + "/" + token + "/" + new String(bytes, StandardCharsets.UTF_8));
        }, 1000);
        assertEquals(100, n);
        assertEquals("1/1000/request 0", seen.get(0));
        assertEquals("1/1099/request 99", seen.get(99));
    }

    @Test
    void aBodyLargerThanTheRingAllowsIsRefusedNotTruncated() {
        Inbox inbox = new Inbox(1024);
        byte[] huge = new byte[64 << 20];
        assertFalse(inbox.offer(RequestGate.WRITE, 1, new UnsafeBuffer(huge), 0, huge.length));
        assertTrue(inbox.offer(RequestGate.STATUS, 2, new UnsafeBuffer(new byte[0]), 0, 0));
    }

    @Test
    void aTokenIsTakenOnceAndOnlyByItsOwner() {
        Calls calls = new Calls(4);
        Recording a = new Recording();
        long ta = calls.register(a);
        assertTrue(ta > 0);
        assertNull(calls.take(ta + 4), "same slot, another token");
        assertSame(a, calls.take(ta));
        assertNull(calls.take(ta), "taken twice");
    }

    @Test
    void aFullTableRefusesAndDrainAnswersEveryoneLeft() {
        Calls calls = new Calls(4);
        List<Recording> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Recording r = new Recording();
            assertTrue(calls.register(r) > 0);
            replies.add(r);
        }
        assertEquals(-1, calls.register(new Recording()), "every slot busy");
        AtomicInteger drained = new AtomicInteger();
        calls.drainAll(r -> {
            drained.incrementAndGet();
            r.failed(Status.UNAVAILABLE.withDescription("etcdserver: server stopped"));
        });
        assertEquals(4, drained.get());
        replies.forEach(r -> assertEquals(List.of("UNAVAILABLE: etcdserver: server stopped"), r.answers));
    }

    @Test
    void theGateAnswersTooManyRequestsWhenTheInboxIsFull() {
        Inbox inbox = new Inbox(1024);
        InboxGate gate = new InboxGate(inbox, new Calls(1 << 16));
        byte[] body = new byte[1 << 20];
        Recording last = null;
        for (int i = 0; i < 40; i++) {
            last = new Recording();
            gate.submit(RequestGate.WRITE, new UnsafeBuffer(body), 0, body.length, last);
        }
        assertEquals(List.of("RESOURCE_EXHAUSTED: etcdserver: too many requests"), last.answers);
    }
}
