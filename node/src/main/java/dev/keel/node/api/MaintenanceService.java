package dev.keel.node.api;

import dev.keel.node.MemberListing;
import dev.keel.node.NodeStatus;
import dev.keel.node.RequestGate;
import dev.keel.node.Reply;
import dev.keel.node.HeaderFacts;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

/** etcd's {@code Maintenance} service: {@code Status} (what {@code etcdctl endpoint status} shows). */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private final RequestGate gate;

    public MaintenanceService(RequestGate gate) {
        this.gate = gate;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        gate.submit(RequestGate.STATUS, EMPTY, 0, 0, new Answer(out));
    }

    /**
     * etcd 3.4's fields that jetcd-grpc 0.8.5's older {@code .proto} lacks, written by their field numbers so
     * etcdctl 3.4 sees them: raftAppliedIndex (7), dbSizeInUse (9), isLearner (10).
     */
    static UnknownFieldSet etcd34Fields(NodeStatus s) {
        return UnknownFieldSet.newBuilder()
                .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(s.raftAppliedIndex()).build())
                .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(s.dbSizeInUse()).build())
                .addField(10, UnknownFieldSet.Field.newBuilder().addVarint(s.isLearner() ? 1 : 0).build())
                .build();
    }

    /** Answers on the kernel thread with facts already copied; building the response is cheap. */
    private static final class Answer extends Reply {
        private final StreamObserver<StatusResponse> out;
        private final java.util.concurrent.Executor executor = CallThread.current();

        Answer(StreamObserver<StatusResponse> out) {
            this.out = out;
        }

        @Override
        public void status(NodeStatus s) {
            executor.execute(() -> answer(s));
        }

        private void answer(NodeStatus s) {
            out.onNext(StatusResponse.newBuilder()
                    .setHeader(KvService.header(s.header()).setRevision(s.revision()))
                    .setVersion(s.version()).setDbSize(s.dbSize()).setLeader(s.leader())
                    .setRaftIndex(s.raftIndex()).setRaftTerm(s.header().raftTerm())
                    .setUnknownFields(etcd34Fields(s)).build());
            out.onCompleted();
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            failed(Status.INTERNAL.withDescription("unexpected answer to a status request"));
        }

        @Override
        public void failed(Status status) {
            executor.execute(() -> out.onError(status.asRuntimeException()));
        }

        @Override
        public void members(MemberListing members) {
            failed(Status.INTERNAL.withDescription("unexpected answer to a status request"));
        }
    }
}
