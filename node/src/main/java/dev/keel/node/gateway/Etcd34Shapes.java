package dev.keel.node.gateway;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.etcd.jetcd.api.ResponseHeader;

/**
 * Responses of etcd 3.4 RPCs that jetcd-grpc 0.8.5 lacks entirely, which a service answers with a wire class of
 * the same shape but other field names (LeaseLeases: {@code {header=1, repeated {int64 ID=1} leases=2}}, which
 * e.g. MemberListResponse matches on the wire). The gateway re-reads such an answer's bytes as etcd 3.4's message
 * so its JSON has etcd's names. MemberPromote needs nothing: MemberRemove's classes have the same names.
 */
final class Etcd34Shapes {
    private static final String LEASE_LEASES = "etcdserverpb.Lease/LeaseLeases";
    private static final Descriptor LEASE_LEASES_RESPONSE = leaseLeasesResponse();

    private Etcd34Shapes() {
    }

    /** @return the response as etcd 3.4 names its fields (the same message when its class already does) */
    static Message reshape(String fullMethodName, Message response) {
        if (!LEASE_LEASES.equals(fullMethodName)) {
            return response;
        }
        FieldDescriptor leases = response.getDescriptorForType().findFieldByNumber(2);
        if (leases != null && leases.getName().equals("leases")) {
            return response;
        }
        try {
            return DynamicMessage.parseFrom(LEASE_LEASES_RESPONSE, response.toByteString());
        } catch (InvalidProtocolBufferException e) {
            return response; // not the shape: print what the service sent
        }
    }

    private static Descriptor leaseLeasesResponse() {
        FileDescriptor rpc = ResponseHeader.getDescriptor().getFile();
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("keel/etcd34-lease-leases.proto").setPackage("keel.etcd34").setSyntax("proto3")
                .addDependency(rpc.getName())
                .addMessageType(DescriptorProto.newBuilder().setName("LeaseStatus")
                        .addField(field("ID", 1, FieldDescriptorProto.Type.TYPE_INT64, null, false)))
                .addMessageType(DescriptorProto.newBuilder().setName("LeaseLeasesResponse")
                        .addField(field("header", 1, FieldDescriptorProto.Type.TYPE_MESSAGE,
                                "." + ResponseHeader.getDescriptor().getFullName(), false))
                        .addField(field("leases", 2, FieldDescriptorProto.Type.TYPE_MESSAGE,
                                ".keel.etcd34.LeaseStatus", true)))
                .build();
        try {
            return FileDescriptor.buildFrom(file, new FileDescriptor[]{rpc}).findMessageTypeByName(
                    "LeaseLeasesResponse");
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("etcd 3.4's LeaseLeasesResponse does not build", e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type,
                                              String typeName, boolean repeated) {
        FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setJsonName(name)
                .setNumber(number).setType(type).setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED
                        : FieldDescriptorProto.Label.LABEL_OPTIONAL);
        return typeName == null ? f.build() : f.setTypeName(typeName).build();
    }
}
