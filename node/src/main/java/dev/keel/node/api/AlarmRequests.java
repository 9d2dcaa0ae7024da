package dev.keel.node.api;

import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.node.HeaderFacts;
import dev.keel.node.Reply;
import dev.keel.node.RequestGate;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.Executor;

/**
 * etcd's {@code Maintenance.Alarm}. Keel has one alarm, NOSPACE, and it is replicated state: the store raises
 * it on every member at the same log entry once the quota ({@code --quota-backend-bytes}) is exceeded, and an
 * AlarmDisarm entry clears it everywhere. etcd raises an alarm per member (the one whose backend outgrew the
 * quota); Keel reports the alarm under the ID of the member that answers, since every member's store is over
 * the quota alike. GET lists it from this member's store; DEACTIVATE NOSPACE (whatever member ID it names)
 * proposes an AlarmDisarm through the log and answers with the alarm it cleared, under the member ID the
 * request named (this member's when it named none; nothing when no alarm was raised here), as etcd answers a
 * deactivation. Deactivating another alarm type clears nothing, as in etcd.
 */
final class AlarmRequests {
    private AlarmRequests() {
    }

    /** @return etcd's text for member {@code memberId}'s NOSPACE alarm (its {@code AlarmMember.String()}) */
    static String text(long memberId) {
        return "memberID:" + Long.toUnsignedString(memberId) + " alarm:NOSPACE ";
    }

    static void serve(RequestGate gate, long memberId, AlarmRequest request, StreamObserver<AlarmResponse> out) {
        switch (request.getAction()) {
            case GET -> MaintenanceService.ask(gate, out, k -> k.replica().mvcc().noSpaceAlarm(),
                    raised -> list(raised, memberId));
            case DEACTIVATE -> {
                if (request.getAlarm() == AlarmType.NOSPACE) {
                    // The answer names the member the request named (etcd answers with the alarm it cleared).
                    disarm(gate, request.getMemberID() != 0 ? request.getMemberID() : memberId, out);
                } else {
                    out.onNext(AlarmResponse.getDefaultInstance());
                    out.onCompleted();
                }
            }
            case ACTIVATE -> out.onError(Status.UNIMPLEMENTED.withDescription(
                    "keel: alarms are raised by the store itself (NOSPACE, beyond --quota-backend-bytes), "
                            + "not by request").asRuntimeException());
            default -> out.onError(Status.INVALID_ARGUMENT.withDescription(
                    "etcdserver: unknown alarm action " + request.getActionValue()).asRuntimeException());
        }
    }

    private static AlarmResponse list(boolean raised, long memberId) {
        AlarmResponse.Builder b = AlarmResponse.newBuilder();
        if (raised) {
            b.addAlarms(AlarmMember.newBuilder().setMemberID(memberId).setAlarm(AlarmType.NOSPACE));
        }
        return b.build();
    }

    /**
     * Reads whether the alarm is raised (the answer names the alarm it clears), then proposes the disarm through
     * {@link RequestGate#submit} on the call's thread and in its gRPC context, so the entry carries the caller's
     * auth envelope and the kernel refuses it unless the caller holds the root role, as etcd 3.4 does.
     */
    private static void disarm(RequestGate gate, long memberId, StreamObserver<AlarmResponse> out) {
        Executor executor = CallThread.current();
        Context caller = Context.current();
        boolean queued = gate.run(k -> {
            boolean raised = k.replica().mvcc().noSpaceAlarm();
            executor.execute(() -> caller.run(() -> {
                UnsafeBuffer request = new UnsafeBuffer(new byte[16]);
                int length = SmallRequests.encodeAlarmDisarm(request, 0);
                gate.submit(RequestGate.WRITE, request, 0, length, new DisarmAnswer(out, executor, raised, memberId));
            }));
        });
        if (!queued) {
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    private static final class DisarmAnswer extends Reply {
        private final StreamObserver<AlarmResponse> out;
        private final Executor executor;
        private final boolean raised;
        private final long memberId;

        DisarmAnswer(StreamObserver<AlarmResponse> out, Executor executor, boolean raised, long memberId) {
            this.out = out;
            this.executor = executor;
            this.raised = raised;
            this.memberId = memberId;
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            executor.execute(() -> {
                ResponseView v = new ResponseView().wrap(new UnsafeBuffer(mvccResponse), 0, mvccResponse.length);
                if (!v.isOk()) {
                    out.onError(KvCodec.toStatus(v));
                    return;
                }
                out.onNext(list(raised, memberId));
                out.onCompleted();
            });
        }

        @Override
        public void failed(Status status) {
            executor.execute(() -> out.onError(status.asRuntimeException()));
        }
    }
}
