package dev.keel.node;

import dev.keel.replica.ReplicaError;
import io.grpc.Status;
import org.agrona.DirectBuffer;

/** How the API threads hand a request to the kernel thread: register the reply, then put the bytes in the ring. */
public interface RequestGate {
    /** A write: put, delete, txn, compact (through the log). */
    int WRITE = 1;
    /** A linearizable range read (ReadIndex). */
    int READ = 2;
    /** A serializable range read (this member's store, at once). */
    int READ_SERIALIZABLE = 3;
    /** Maintenance.Status (no body). */
    int STATUS = 4;
    /** Cluster.MemberList (no body). */
    int MEMBER_LIST = 5;

    /** What a refused hand-off answers: the replica is saturated. */
    Status TOO_MANY_REQUESTS = Status.RESOURCE_EXHAUSTED.withDescription(ReplicaError.TOO_MANY_REQUESTS.message());

    /**
     * Submits a request; {@code reply} is answered exactly once, on the kernel thread or (when the hand-off is
     * refused) at once on this one.
     *
     * @param type one of the record types above
     */
    void submit(int type, DirectBuffer body, int offset, int length, Reply reply);

    /**
     * Hands a task to the kernel thread.
     *
     * @return false when the kernel thread's task queue is full (answer {@link #TOO_MANY_REQUESTS})
     */
    boolean run(KernelTask task);
}
