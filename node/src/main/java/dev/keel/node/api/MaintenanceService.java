package dev.keel.node.api;

import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.node.KernelContext;
import dev.keel.node.KernelTask;
import dev.keel.node.MemberListing;
import dev.keel.node.NodeStatus;
import dev.keel.node.RequestGate;
import dev.keel.node.Reply;
import dev.keel.node.HeaderFacts;
import dev.keel.node.config.MemberIds;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import dev.keel.kernel.util.SizedBuffers;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * etcd's {@code Maintenance} service. Status, Hash, HashKV, Alarm GET and Snapshot are served by the member the
 * client reached, from its own store, by a kernel task; an alarm's DEACTIVATE is a write through the log (the
 * NOSPACE alarm is replicated state); MoveLeader is the replica's leadership transfer; Defragment has nothing to
 * do. As etcd 3.4 does, Alarm, Defragment, MoveLeader and Snapshot answer without a response header.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger("keel");
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private final RequestGate gate;
    private final long memberId;

    public MaintenanceService(RequestGate gate, long memberId) {
        this.gate = gate;
        this.memberId = memberId;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        gate.submit(RequestGate.STATUS, EMPTY, 0, 0, new StatusAnswer(out));
    }

    /** etcd: a CRC-32 of its whole backend file. Keel: a 32-bit fold of HashKV's hash at the current revision. */
    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> out) {
        ask(out, k -> hashKv(k, 0), r -> {
            ResponseView v = r.view();
            return HashResponse.newBuilder().setHeader(KvService.header(r.facts()).setRevision(v.revision()))
                    .setHash(fold(v.bodyLong(0))).build();
        });
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
        long revision = request.getRevision();
        ask(out, k -> hashKv(k, revision), r -> {
            ResponseView v = r.view();
            if (!v.isOk()) {
                throw KvCodec.toStatus(v);
            }
            long compacted = v.bodyLong(1);
            return HashKVResponse.newBuilder().setHeader(KvService.header(r.facts()).setRevision(v.revision()))
                    .setHash(fold(v.bodyLong(0)))
                    // etcd reports -1 until the first compaction; a compaction is always to a revision >= 1.
                    .setCompactRevision(compacted == 0 ? -1 : compacted).build();
        });
    }

    private record KernelBytes(byte[] bytes, int length, HeaderFacts facts) {
        ResponseView view() {
            return new ResponseView().wrap(new UnsafeBuffer(bytes), 0, length);
        }
    }

    private static KernelBytes hashKv(KernelContext k, long revision) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        int n = k.replica().mvcc().hashKv(revision, out);
        return new KernelBytes(out.byteArray(), n, k.facts());
    }

    /** The kernel's 64-bit hash folded into etcd's 32-bit field. */
    static int fold(long hash) {
        return (int) (hash ^ (hash >>> 32));
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
        AlarmRequests.serve(gate, memberId, request, out);
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
        LOG.info("member={} defragment requested: Keel's store needs no defragmentation (compaction frees "
                + "space in memory at once)", MemberIds.hex(memberId));
        out.onNext(DefragmentResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
        Reply reply = new AdminAnswer(out);
        long target = request.getTargetID();
        boolean queued = gate.run(k -> {
            long token = k.register(reply);
            if (token < 0) {
                reply.failed(RequestGate.TOO_MANY_REQUESTS);
                return;
            }
            k.replica().transferLeadership(token, target);
        });
        if (!queued) {
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
        Executor executor = CallThread.current();
        SnapshotStream stream = SnapshotStream.open(out);
        boolean queued = gate.run(k -> {
            long started = System.nanoTime();
            MvccStateMachine mvcc = k.replica().mvcc();
            // Sized from the exact length: growing the buffer while writing would copy the store.
            ExpandableArrayBuffer buffer = SizedBuffers.allocate(mvcc.snapshotLength());
            int length = mvcc.snapshot(buffer);
            long micros = (System.nanoTime() - started) / 1000;
            LOG.info("member={} snapshot of the store taken for a client: {} bytes at revision {} in {} ms (the "
                    + "kernel thread paused meanwhile)", MemberIds.hex(memberId), length, mvcc.revision(),
                    micros / 1000.0);
            executor.execute(() -> stream.send(buffer.byteArray(), length));
        });
        if (!queued) {
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    /**
     * Runs {@code read} on the kernel thread (copying what it needs) and {@code build} on the call's thread; a
     * {@link StatusRuntimeException} from {@code build} is the call's error.
     */
    static <V, T> void ask(RequestGate gate, StreamObserver<T> out, Function<KernelContext, V> read,
                           Function<V, T> build) {
        Executor executor = CallThread.current();
        KernelTask task = k -> {
            V value = read.apply(k);
            executor.execute(() -> {
                T response;
                try {
                    response = build.apply(value);
                } catch (StatusRuntimeException e) {
                    out.onError(e);
                    return;
                }
                out.onNext(response);
                out.onCompleted();
            });
        };
        if (!gate.run(task)) {
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    private <V, T> void ask(StreamObserver<T> out, Function<KernelContext, V> read, Function<V, T> build) {
        ask(gate, out, read, build);
    }

    /**
     * etcd 3.4's fields that jetcd-grpc 0.8.5's older {@code .proto} lacks, written by their field numbers so
     * etcdctl 3.4 sees them: raftAppliedIndex (7), errors (8: the raised alarms, as etcd lists them),
     * dbSizeInUse (9), isLearner (10).
     */
    static UnknownFieldSet etcd34Fields(NodeStatus s) {
        UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder()
                .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(s.raftAppliedIndex()).build());
        if (s.noSpaceAlarm()) {
            b.addField(8, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(
                    AlarmRequests.text(s.header().memberId()))).build());
        }
        return b.addField(9, UnknownFieldSet.Field.newBuilder().addVarint(s.dbSizeInUse()).build())
                .addField(10, UnknownFieldSet.Field.newBuilder().addVarint(s.isLearner() ? 1 : 0).build())
                .build();
    }

    /** MoveLeader's answer: etcd's empty response once the transferee leads, or etcd's error. */
    private static final class AdminAnswer extends Reply {
        private final StreamObserver<MoveLeaderResponse> out;
        private final Executor executor = CallThread.current();

        AdminAnswer(StreamObserver<MoveLeaderResponse> out) {
            this.out = out;
        }

        @Override
        public void adminSucceeded(dev.keel.kernel.raft.ConfState members, long leader, HeaderFacts facts) {
            executor.execute(() -> {
                out.onNext(MoveLeaderResponse.getDefaultInstance());
                out.onCompleted();
            });
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            failed(Status.INTERNAL.withDescription("unexpected answer to a move-leader request"));
        }

        @Override
        public void failed(Status status) {
            executor.execute(() -> out.onError(status.asRuntimeException()));
        }
    }

    /** Answers on the kernel thread with facts already copied; building the response is cheap. */
    private static final class StatusAnswer extends Reply {
        private final StreamObserver<StatusResponse> out;
        private final Executor executor = CallThread.current();

        StatusAnswer(StreamObserver<StatusResponse> out) {
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
