package dev.keel.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Empty;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * etcd 3.4's {@code etcdserverpb.Lease/LeaseLeases}, which jetcd-grpc 0.8.5's older proto lacks. Its request is
 * empty ({@link Empty} has that shape) and its response is {@code {ResponseHeader header = 1; repeated
 * LeaseStatus leases = 2}} with {@code LeaseStatus {int64 ID = 1}}: carried as a {@link LeaseRevokeResponse}
 * (header = 1, nothing else) whose field 2 is written and read as unknown fields.
 */
public final class LeaseLeasesMethod {
    /** etcd's field number of {@code LeaseLeasesResponse.leases}. */
    static final int LEASES_FIELD = 2;
    /** etcd's field number of {@code LeaseStatus.ID}. */
    static final int ID_FIELD = 1;

    /** The method, for the server's service definition and for clients (tests). */
    public static final MethodDescriptor<Empty, LeaseRevokeResponse> METHOD =
            MethodDescriptor.<Empty, LeaseRevokeResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("etcdserverpb.Lease", "LeaseLeases"))
                    .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(LeaseRevokeResponse.getDefaultInstance()))
                    .build();

    private LeaseLeasesMethod() {
    }

    /** @return the response listing {@code ids} in this order */
    static LeaseRevokeResponse response(ResponseHeader header, long[] ids) {
        UnknownFieldSet.Field.Builder leases = UnknownFieldSet.Field.newBuilder();
        for (long id : ids) {
            leases.addLengthDelimited(leaseStatus(id));
        }
        return LeaseRevokeResponse.newBuilder().setHeader(header)
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(LEASES_FIELD, leases.build()).build())
                .build();
    }

    /** @return the lease IDs a LeaseLeases response lists, in its order */
    public static long[] ids(LeaseRevokeResponse response) {
        UnknownFieldSet.Field leases = response.getUnknownFields().getField(LEASES_FIELD);
        java.util.List<ByteString> statuses = leases == null ? java.util.List.of() : leases.getLengthDelimitedList();
        long[] ids = new long[statuses.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = leaseId(statuses.get(i));
        }
        return ids;
    }

    private static ByteString leaseStatus(long id) {
        if (id == 0) {
            return ByteString.EMPTY; // proto3 leaves a default value out
        }
        ByteString.Output out = ByteString.newOutput(11);
        try {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeInt64(ID_FIELD, id);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteString();
    }

    private static long leaseId(ByteString status) {
        try {
            CodedInputStream in = status.newCodedInput();
            long id = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == (ID_FIELD << 3)) {
                    id = in.readInt64(); // the last one wins, as in Go
                } else {
                    in.skipField(tag);
                }
            }
            return id;
        } catch (IOException e) {
            throw new IllegalArgumentException("a LeaseStatus that does not parse", e);
        }
    }
}
