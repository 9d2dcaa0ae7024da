package dev.keel.node.api;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.util.function.BiConsumer;

/**
 * etcd 3.4's {@code etcdserverpb.Cluster/MemberPromote}, which jetcd-grpc 0.8.5's proto lacks. Its request
 * ({@code uint64 ID = 1}) and response ({@code header = 1, repeated Member members = 2}) have the wire shape of
 * MemberRemove's, so those message classes carry it.
 */
final class ClusterPromote {
    static final MethodDescriptor<MemberRemoveRequest, MemberRemoveResponse> METHOD =
            MethodDescriptor.<MemberRemoveRequest, MemberRemoveResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(ClusterGrpc.SERVICE_NAME,
                            "MemberPromote"))
                    .setRequestMarshaller(ProtoUtils.marshaller(MemberRemoveRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(MemberRemoveResponse.getDefaultInstance()))
                    .build();

    private ClusterPromote() {
    }

    /** @return {@code base}'s methods plus MemberPromote, under the same service name */
    static ServerServiceDefinition withPromote(ServerServiceDefinition base,
                                               BiConsumer<MemberRemoveRequest, StreamObserver<MemberRemoveResponse>> handler) {
        return ExtraMethods.withUnary(base, METHOD, handler::accept);
    }

    /** Forwards a promotion through {@code stub}'s channel (the leader's). */
    static void call(ClusterGrpc.ClusterStub stub, MemberRemoveRequest request,
                     StreamObserver<MemberRemoveResponse> out) {
        ClientCalls.asyncUnaryCall(stub.getChannel().newCall(METHOD, stub.getCallOptions()), request, out);
    }
}
