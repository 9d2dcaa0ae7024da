package dev.keel.node.api;

import dev.keel.node.HeaderFacts;
import dev.keel.node.MemberListing;
import dev.keel.node.Reply;
import dev.keel.node.RequestGate;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

/** etcd's {@code Cluster} service: {@code MemberList} (what {@code etcdctl member list} shows). */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private final RequestGate gate;

    public ClusterService(RequestGate gate) {
        this.gate = gate;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        gate.submit(RequestGate.MEMBER_LIST, EMPTY, 0, 0, new Answer(out));
    }

    private static final class Answer extends Reply {
        private final StreamObserver<MemberListResponse> out;
        private final java.util.concurrent.Executor executor = CallThread.current();

        Answer(StreamObserver<MemberListResponse> out) {
            this.out = out;
        }

        @Override
        public void members(MemberListing listing) {
            executor.execute(() -> answer(listing));
        }

        private void answer(MemberListing listing) {
            MemberListResponse.Builder b = MemberListResponse.newBuilder().setHeader(KvService.header(listing.header()));
            for (MemberListing.Member m : listing.members()) {
                b.addMembers(Member.newBuilder().setID(m.id()).setName(m.name()).addAllPeerURLs(m.peerUrls())
                        .addAllClientURLs(m.clientUrls()).setIsLearner(m.learner()));
            }
            out.onNext(b.build());
            out.onCompleted();
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            failed(Status.INTERNAL.withDescription("unexpected answer to a member list request"));
        }

        @Override
        public void failed(Status status) {
            executor.execute(() -> out.onError(status.asRuntimeException()));
        }
    }
}
