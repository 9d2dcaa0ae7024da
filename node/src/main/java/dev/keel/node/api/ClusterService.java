package dev.keel.node.api;

import dev.keel.kernel.raft.ConfState;
import dev.keel.node.HeaderFacts;
import dev.keel.node.KernelContext;
import dev.keel.node.MemberListing;
import dev.keel.node.Reply;
import dev.keel.node.RequestGate;
import dev.keel.node.config.MemberIds;
import dev.keel.node.config.MemberMetadata;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.TlsConfig;
import dev.keel.node.config.Urls;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * etcd's {@code Cluster} service: MemberList, MemberAdd, MemberRemove, MemberUpdate and MemberPromote (the last
 * missing from jetcd-grpc's proto: {@link ClusterPromote} adds it to this service's definition). Changes go
 * through the leader's log ({@code Replica.addMember} and friends); a follower forwards them to the leader's
 * client URL, as etcd's members do. Once a change is applied the response lists the members as this member
 * knows them then.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase implements AutoCloseable {
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    static final Status BAD_URLS = Status.INVALID_ARGUMENT.withDescription("etcdserver: given member URLs are invalid");
    static final Status URLS_EXIST = Status.FAILED_PRECONDITION.withDescription("etcdserver: Peer URLs already exists");
    private final RequestGate gate;
    private final LeaderClients leaders;

    /** A service forwarding membership changes to the leader over plain http. */
    public ClusterService(RequestGate gate) {
        this(gate, java.util.Optional.empty());
    }

    /** @param tls the client port's TLS material when members serve https (to reach the leader's port) */
    public ClusterService(RequestGate gate, java.util.Optional<dev.keel.node.tls.ReloadingTls> tls) {
        this.gate = gate;
        this.leaders = new LeaderClients(tls);
    }

    /** @return this service's definition with MemberPromote added under the same service name */
    public io.grpc.ServerServiceDefinition definition() {
        return ClusterPromote.withPromote(bindService(), this::memberPromote);
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        gate.submit(RequestGate.MEMBER_LIST, EMPTY, 0, 0, new Listing<MemberListResponse>(out, listing -> {
            MemberListResponse.Builder b = MemberListResponse.newBuilder().setHeader(header(listing.header()));
            listing.members().forEach(m -> b.addMembers(member(m)));
            return b.build();
        }));
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        List<String> urls = request.getPeerURLsList();
        if (!validUrls(urls)) {
            out.onError(BAD_URLS.asRuntimeException());
            return;
        }
        // etcd: an ID from the peer URLs and the time of the add, so a replacement at a removed member's URL
        // gets a new ID (IDs are never reused).
        long id = MemberIds.memberId(urls, "member-add " + System.currentTimeMillis() + " " + System.nanoTime());
        byte[] metadata = MemberMetadata.encode(urls);
        boolean learner = request.getIsLearner();
        Admin<MemberAddResponse> reply = new Admin<>(out, listing -> {
            MemberAddResponse.Builder b = MemberAddResponse.newBuilder().setHeader(header(listing.header()))
                    .setMember(Member.newBuilder().setID(id).addAllPeerURLs(urls).setIsLearner(learner));
            listing.members().forEach(m -> b.addMembers(member(m)));
            return b.build();
        }, (stub, o) -> stub.memberAdd(request, o));
        run(out, k -> {
            Status refused = schemeRefusal(k.config(), urls);
            if (refused == null) {
                refused = ReconfigCheck.add(k, learner);
            }
            if (refused == null && urlsTaken(k, urls, 0)) {
                refused = URLS_EXIST;
            }
            if (refused != null) {
                reply.failed(refused);
                return;
            }
            long token = register(k, reply);
            if (token >= 0) {
                k.replica().addMember(token, id, learner, new UnsafeBuffer(metadata), 0, metadata.length);
            }
        });
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        long id = request.getID();
        Admin<MemberRemoveResponse> reply = new Admin<>(out, ClusterService::removeResponse,
                (stub, o) -> stub.memberRemove(request, o));
        run(out, k -> {
            Status refused = ReconfigCheck.remove(k, id);
            if (refused != null) {
                reply.failed(refused);
                return;
            }
            long token = register(k, reply);
            if (token >= 0) {
                k.replica().removeMember(token, id);
            }
        });
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        List<String> urls = request.getPeerURLsList();
        if (!validUrls(urls)) {
            out.onError(BAD_URLS.asRuntimeException());
            return;
        }
        long id = request.getID();
        byte[] metadata = MemberMetadata.encode(urls);
        Admin<MemberUpdateResponse> reply = new Admin<>(out, listing -> {
            MemberUpdateResponse.Builder b = MemberUpdateResponse.newBuilder().setHeader(header(listing.header()));
            listing.members().forEach(m -> b.addMembers(member(m)));
            return b.build();
        }, (stub, o) -> stub.memberUpdate(request, o));
        run(out, k -> {
            Status refused = schemeRefusal(k.config(), urls);
            if (refused != null || urlsTaken(k, urls, id)) {
                reply.failed(refused != null ? refused : URLS_EXIST);
                return;
            }
            long token = register(k, reply);
            if (token >= 0) {
                k.replica().updateMember(token, id, new UnsafeBuffer(metadata), 0, metadata.length);
            }
        });
    }

    /** etcd 3.4's MemberPromote (request and response have MemberRemove's wire shape). */
    void memberPromote(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        long id = request.getID();
        Admin<MemberRemoveResponse> reply = new Admin<>(out, ClusterService::removeResponse,
                (stub, o) -> ClusterPromote.call(stub, request, o));
        run(out, k -> {
            Status refused = ReconfigCheck.promote(k, id);
            if (refused != null) {
                reply.failed(refused);
                return;
            }
            long token = register(k, reply);
            if (token >= 0) {
                k.replica().promoteMember(token, id);
            }
        });
    }

    private static MemberRemoveResponse removeResponse(MemberListing listing) {
        MemberRemoveResponse.Builder b = MemberRemoveResponse.newBuilder().setHeader(header(listing.header()));
        listing.members().forEach(m -> b.addMembers(member(m)));
        return b.build();
    }

    private void run(StreamObserver<?> out, dev.keel.node.KernelTask task) {
        if (!gate.run(task)) {
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    private static long register(KernelContext k, Reply reply) {
        long token = k.register(reply);
        if (token < 0) {
            reply.failed(RequestGate.TOO_MANY_REQUESTS);
        }
        return token;
    }

    /** @return whether a member other than {@code except} already has one of {@code urls} (kernel thread) */
    private static boolean urlsTaken(KernelContext k, List<String> urls, long except) {
        ConfState conf = k.replica().raft().configuration();
        for (int i = 0; i < conf.voterCount() + conf.learnerCount(); i++) {
            long m = i < conf.voterCount() ? conf.voter(i) : conf.learner(i - conf.voterCount());
            if (m != except && k.peerUrlsOf(m).stream().anyMatch(urls::contains)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A member's transport speaks one scheme to every peer (TLS with the {@code --peer-*} files, or plaintext),
     * so a member at a peer URL of the other scheme could never be reached; refused up front rather than left to
     * fail every dial (etcd, which picks TLS per URL, accepts it).
     *
     * @return the refusal, or null when every URL has this member's peer scheme
     */
    static Status schemeRefusal(NodeConfig config, List<String> urls) {
        boolean tls = TlsConfig.anyHttps(config.listenPeerUrls());
        for (String url : urls) {
            if (TlsConfig.anyHttps(List.of(url)) != tls) {
                String scheme = tls ? "https" : "http";
                return Status.INVALID_ARGUMENT.withDescription("keel: peer URL " + url + " is not " + scheme
                        + ", the scheme this cluster's members speak between them (Keel uses one scheme for all "
                        + "peers); give " + scheme + ":// peer URLs");
            }
        }
        return null;
    }

    private static boolean validUrls(List<String> urls) {
        if (urls.isEmpty()) {
            return false;
        }
        try {
            for (String u : urls) {
                Urls.parse(u, "peer URL");
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static ResponseHeader.Builder header(HeaderFacts facts) {
        return KvService.header(facts);
    }

    private static Member.Builder member(MemberListing.Member m) {
        return Member.newBuilder().setID(m.id()).setName(m.name()).addAllPeerURLs(m.peerUrls())
                .addAllClientURLs(m.clientUrls()).setIsLearner(m.learner());
    }

    @Override
    public void close() {
        leaders.close();
    }

    /** Answers a member list request with a response built from the listing, on the call's thread. */
    private static final class Listing<T> extends Reply {
        private final StreamObserver<T> out;
        private final java.util.function.Function<MemberListing, T> build;
        private final Executor executor = CallThread.current();

        Listing(StreamObserver<T> out, java.util.function.Function<MemberListing, T> build) {
            this.out = out;
            this.build = build;
        }

        @Override
        public void members(MemberListing listing) {
            executor.execute(() -> {
                out.onNext(build.apply(listing));
                out.onCompleted();
            });
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

    /**
     * A membership change's reply: once applied, the member list is read (a second hand-off: the directory
     * has followed the change by then) and the response built from it; off the leader, the request is
     * forwarded to the leader's client URL.
     */
    private final class Admin<T> extends Reply {
        private final StreamObserver<T> out;
        private final java.util.function.Function<MemberListing, T> build;
        private final BiConsumer<ClusterGrpc.ClusterStub, StreamObserver<T>> forward;
        private final Executor executor = CallThread.current();

        Admin(StreamObserver<T> out, java.util.function.Function<MemberListing, T> build,
              BiConsumer<ClusterGrpc.ClusterStub, StreamObserver<T>> forward) {
            this.out = out;
            this.build = build;
            this.forward = forward;
        }

        @Override
        public void adminSucceeded(ConfState members, long leader, HeaderFacts facts) {
            gate.submit(RequestGate.MEMBER_LIST, EMPTY, 0, 0, new Listing<>(out, build));
        }

        @Override
        public void notLeader(long leader, List<String> leaderClientUrls, Status status) {
            // On the call's thread: building a client to the leader the first time is not the kernel's work.
            executor.execute(() -> leaders.stub(leaderClientUrls, ClusterGrpc.ClusterStub.class).ifPresentOrElse(
                    stub -> forward.accept(stub, out), () -> out.onError(status.asRuntimeException())));
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            failed(Status.INTERNAL.withDescription("unexpected answer to a membership change"));
        }

        @Override
        public void failed(Status status) {
            executor.execute(() -> out.onError(status.asRuntimeException()));
        }
    }
}
