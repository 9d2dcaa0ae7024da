package dev.keel.node.api;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

/**
 * Adds an etcd 3.4 method that jetcd-grpc 0.8.5's older proto lacks (LeaseLeases, MemberPromote) to a generated
 * service definition, under the same service name, so clients reach it as etcd serves it.
 */
final class ExtraMethods {
    private ExtraMethods() {
    }

    /** @return {@code base}'s methods plus {@code method}, answered by {@code handler} */
    static <Q, R> ServerServiceDefinition withUnary(ServerServiceDefinition base, MethodDescriptor<Q, R> method,
                                                     ServerCalls.UnaryMethod<Q, R> handler) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(base.getServiceDescriptor().getName());
        base.getMethods().forEach(b::addMethod);
        b.addMethod(method, ServerCalls.asyncUnaryCall(handler));
        return b.build();
    }
}
