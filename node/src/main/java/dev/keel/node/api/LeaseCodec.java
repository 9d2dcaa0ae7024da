package dev.keel.node.api;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.node.HeaderFacts;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.ResponseHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Translates etcd's Lease messages to the kernel's encoding (grant and revoke go through the log) and the
 * kernel's lease responses back, with etcd 3.4's answers for the cases its API layer turns into data: a
 * keepalive of an unknown lease answers TTL 0 and a time-to-live of one TTL -1, not an error. Pure and
 * stateless.
 */
final class LeaseCodec {
    private LeaseCodec() {
    }

    /** @return the length of the kernel LeaseGrant written at offset 0 of {@code out} */
    static int encodeGrant(LeaseGrantRequest r, MutableDirectBuffer out) {
        return SmallRequests.encodeLeaseGrant(out, 0, r.getTTL(), r.getID());
    }

    /** @return the length of the kernel LeaseRevoke written at offset 0 of {@code out} */
    static int encodeRevoke(LeaseRevokeRequest r, MutableDirectBuffer out) {
        return SmallRequests.encodeLeaseRevoke(out, 0, r.getID());
    }

    /** @return the grant's response; throws etcd's status for an error (too large TTL, lease exists, no space) */
    static LeaseGrantResponse decodeGrant(byte[] response, HeaderFacts facts) {
        ResponseView v = open(response, RequestType.LEASE_GRANT);
        return LeaseGrantResponse.newBuilder().setHeader(header(facts, v.revision()))
                .setID(v.bodyLong(0)).setTTL(v.bodyLong(1)).build();
    }

    /** @return the revoke's response (its header revision the one that deleted the attached keys) */
    static LeaseRevokeResponse decodeRevoke(byte[] response, HeaderFacts facts) {
        ResponseView v = open(response, RequestType.LEASE_REVOKE);
        return LeaseRevokeResponse.newBuilder().setHeader(header(facts, v.revision())).build();
    }

    /**
     * @param leaseId the ID the client asked about (etcd echoes it also for an unknown lease)
     * @return the keepalive's answer: the lease's TTL, or TTL 0 for a lease that does not exist (as etcd)
     */
    static LeaseKeepAliveResponse decodeKeepAlive(byte[] response, long leaseId, HeaderFacts facts) {
        ResponseView v = view(response);
        if (!v.isOk() && v.error() == MvccError.LEASE_NOT_FOUND) {
            return LeaseKeepAliveResponse.newBuilder().setHeader(header(facts, v.revision()))
                    .setID(leaseId).setTTL(0).build();
        }
        v = open(response, ResponseLayout.KEEP_ALIVE);
        return LeaseKeepAliveResponse.newBuilder().setHeader(header(facts, v.revision()))
                .setID(v.bodyLong(0)).setTTL(v.bodyLong(1)).build();
    }

    /** @return etcd's TimeToLive answer: remaining TTL -1 and granted TTL 0 for an unknown lease */
    static LeaseTimeToLiveResponse decodeTimeToLive(byte[] response, HeaderFacts facts) {
        ResponseView v = open(response, ResponseLayout.TIME_TO_LIVE);
        LeaseTimeToLiveResponse.Builder out = LeaseTimeToLiveResponse.newBuilder()
                .setHeader(header(facts, v.revision()))
                .setID(v.bodyLong(0)).setTTL(v.bodyLong(1)).setGrantedTTL(v.bodyLong(2));
        DirectBuffer b = v.buffer();
        int at = v.bodyAt() + 3 * Long.BYTES;
        int keys = b.getInt(at);
        at += Integer.BYTES;
        for (int i = 0; i < keys; i++) {
            int length = b.getInt(at);
            byte[] key = new byte[length];
            b.getBytes(at + Integer.BYTES, key);
            out.addKeys(ByteString.copyFrom(key));
            at += Integer.BYTES + length;
        }
        return out.build();
    }

    /** The lease IDs a member holds, ascending, and the store revision they were read at. */
    record LeaseList(long revision, long[] ids) {
    }

    /** @return the IDs of a kernel Leases response */
    static LeaseList decodeLeases(byte[] response) {
        ResponseView v = open(response, ResponseLayout.LEASES);
        DirectBuffer b = v.buffer();
        int at = v.bodyAt();
        long[] ids = new long[b.getInt(at)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = b.getLong(at + Integer.BYTES + i * Long.BYTES);
        }
        return new LeaseList(v.revision(), ids);
    }

    static ResponseHeader header(HeaderFacts facts, long revision) {
        return KvService.header(facts).setRevision(revision).build();
    }

    private static ResponseView view(byte[] response) {
        if (response.length < ResponseLayout.HEADER_LENGTH) {
            throw new IllegalArgumentException("not a kernel response: " + response.length + " bytes");
        }
        return new ResponseView().wrap(new UnsafeBuffer(response), 0, response.length);
    }

    private static ResponseView open(byte[] response, int type) {
        ResponseView v = view(response);
        if (!v.isOk()) {
            throw KvCodec.toStatus(v);
        }
        if (v.type() != type) {
            throw new IllegalArgumentException("expected a kernel response of type " + type + ", got " + v.type());
        }
        return v;
    }
}
