package dev.keel.node;

import org.agrona.DirectBuffer;

/** The gate over the node's {@link Inbox} and {@link Calls}. */
final class InboxGate implements RequestGate {
    private final Inbox inbox;
    private final Calls calls;

    InboxGate(Inbox inbox, Calls calls) {
        this.inbox = inbox;
        this.calls = calls;
    }

    @Override
    public void submit(int type, DirectBuffer body, int offset, int length, Reply reply) {
        long token = calls.register(reply);
        if (token < 0) {
            reply.failed(TOO_MANY_REQUESTS);
            return;
        }
        if (!inbox.offer(type, token, body, offset, length)) {
            calls.cancel(reply);
            reply.failed(TOO_MANY_REQUESTS);
        }
    }

    @Override
    public boolean run(KernelTask task) {
        return inbox.offer(task);
    }
}
