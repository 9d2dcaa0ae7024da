package dev.keel.node.api;

import com.google.protobuf.ByteString;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.node.HeaderFacts;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.StatusRuntimeException;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LeaseCodec} and {@link LeaseLeasesMethod} against a real {@link MvccStateMachine} (a leader: its lease
 * clock is promoted): etcd's Lease messages in, the kernel's answers back as etcd gives them.
 */
class LeaseCodecTest {
    private static final HeaderFacts FACTS = new HeaderFacts(7, 9, 3);
    private final MvccStateMachine machine = new MvccStateMachine(new MvccConfig());
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(256);
    private final KvCodec kv = new KvCodec(new MvccConfig());
    private long index;

    LeaseCodecTest() {
        machine.promote(0);
    }

    private byte[] commit(int length) {
        MvccError error = machine.validate(request, 0, length);
        if (error != MvccError.OK) {
            throw KvCodec.toStatus(error);
        }
        return copy(machine.apply(++index, request, 0, length, response));
    }

    private byte[] copy(int length) {
        byte[] out = new byte[length];
        response.getBytes(0, out);
        return out;
    }

    private LeaseGrantResponse grant(long ttl, long id) {
        return LeaseCodec.decodeGrant(commit(LeaseCodec.encodeGrant(
                LeaseGrantRequest.newBuilder().setTTL(ttl).setID(id).build(), request)), FACTS);
    }

    private LeaseRevokeResponse revoke(long id) {
        return LeaseCodec.decodeRevoke(commit(LeaseCodec.encodeRevoke(
                LeaseRevokeRequest.newBuilder().setID(id).build(), request)), FACTS);
    }

    private void put(String key, long lease) {
        PutRequest r = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8("v")).setLease(lease).build();
        int n = kv.encodePut(r, request);
        machine.apply(++index, request, 0, n, response);
    }

    private LeaseTimeToLiveResponse timeToLive(long id) {
        return LeaseCodec.decodeTimeToLive(copy(machine.timeToLive(id, true, response)), FACTS);
    }

    @Test
    void grantRaisesATtlBelowTheMinimumAndRefusesWhatEtcdRefuses() {
        LeaseGrantResponse granted = grant(1, 5);
        assertEquals(List.of(5L, 2L), List.of(granted.getID(), granted.getTTL()));
        assertEquals(ResponseHeader.newBuilder().setClusterId(7).setMemberId(9).setRaftTerm(3).setRevision(1).build(),
                granted.getHeader());
        StatusRuntimeException exists = assertThrows(StatusRuntimeException.class, () -> grant(30, 5));
        assertEquals("FAILED_PRECONDITION: etcdserver: lease already exists", exists.getMessage());
        StatusRuntimeException tooLarge = assertThrows(StatusRuntimeException.class, () -> grant(9_000_000_001L, 6));
        assertEquals("OUT_OF_RANGE: etcdserver: too large lease TTL", tooLarge.getMessage());
        long chosen = grant(30, 0).getID();
        assertTrue(chosen > 0, "ID 0 gets one chosen: " + chosen);
    }

    @Test
    void keepAliveAnswersTheTtlOrZeroForAnUnknownLease() {
        grant(30, 5);
        LeaseKeepAliveResponse renewed = LeaseCodec.decodeKeepAlive(copy(machine.keepAlive(5, response)), 5, FACTS);
        assertEquals(List.of(5L, 30L, 1L),
                List.of(renewed.getID(), renewed.getTTL(), renewed.getHeader().getRevision()));
        LeaseKeepAliveResponse unknown = LeaseCodec.decodeKeepAlive(copy(machine.keepAlive(-8, response)), -8, FACTS);
        assertEquals(List.of(-8L, 0L), List.of(unknown.getID(), unknown.getTTL()));
    }

    @Test
    void timeToLiveListsKeysInKeyOrderAndRevokeDeletesThemInOneRevision() {
        grant(30, 5);
        put("b", 5);
        put("a", 5);
        LeaseTimeToLiveResponse ttl = timeToLive(5);
        assertEquals(List.of(5L, 30L, 30L), List.of(ttl.getID(), ttl.getTTL(), ttl.getGrantedTTL()));
        assertEquals(List.of(ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("b")), ttl.getKeysList());
        assertEquals(4, revoke(5).getHeader().getRevision(), "revision 3 was the last put; both deletes make 4");
        LeaseTimeToLiveResponse gone = timeToLive(5);
        assertEquals(List.of(5L, -1L, 0L, 0), List.of(gone.getID(), gone.getTTL(), gone.getGrantedTTL(),
                gone.getKeysCount()));
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> revoke(5));
        assertEquals("NOT_FOUND: etcdserver: requested lease not found", again.getMessage());
    }

    @Test
    void leaseLeasesCarriesEtcdsRepeatedLeaseStatusOnTheWire() throws Exception {
        grant(30, 9);
        grant(30, 0);
        grant(30, -3);
        LeaseCodec.LeaseList list = LeaseCodec.decodeLeases(copy(machine.leases(response)));
        long[] sorted = list.ids().clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, list.ids(), "ascending");
        LeaseRevokeResponse wire = LeaseLeasesMethod.response(LeaseCodec.header(FACTS, list.revision()), list.ids());
        byte[] bytes = wire.toByteArray();
        LeaseRevokeResponse parsed = LeaseRevokeResponse.parseFrom(bytes);
        assertArrayEquals(list.ids(), LeaseLeasesMethod.ids(parsed));
        assertEquals(3, LeaseLeasesMethod.ids(parsed).length);
        // etcd's LeaseStatus: field 1, varint; a LeaseLeasesResponse of one lease ID 9 and an empty header
        byte[] etcdShaped = {0x0a, 0x00, 0x12, 0x02, 0x08, 0x09};
        assertArrayEquals(new long[]{9}, LeaseLeasesMethod.ids(LeaseRevokeResponse.parseFrom(etcdShaped)));
    }
}
