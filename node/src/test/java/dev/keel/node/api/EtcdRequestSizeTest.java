package dev.keel.node.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** etcd's measure of a request's size depends on the proposing member's ID; {@link EtcdChecks} follows it. */
class EtcdRequestSizeTest {
    @Test
    void theRaftHeaderGrowsWithTheMembersLow16Bits() {
        assertEquals(EtcdChecks.RAFT_HEADER_BYTES, EtcdChecks.raftHeaderBytes(0x1234_5678_9abc_4defL), "bits 7-14");
        assertEquals(14, EtcdChecks.raftHeaderBytes(0x1234_5678_9abc_cdefL), "bit 15 set: a 10-byte request ID");
        assertEquals(12, EtcdChecks.raftHeaderBytes(0x1234_5678_9abc_007fL), "bits 7-15 clear: 8 bytes");
    }

    @Test
    void theLimitMovesByOneByteWithBit15() {
        KvCodec lowMember = new KvCodec(1536 * 1024, 128, 0x4defL);
        KvCodec highMember = new KvCodec(1536 * 1024, 128, 0xcdefL);
        io.etcd.jetcd.api.PutRequest edge = io.etcd.jetcd.api.PutRequest.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFromUtf8("k"))
                .setValue(com.google.protobuf.ByteString.copyFrom(new byte[1_572_840])).build();
        org.agrona.ExpandableArrayBuffer out = new org.agrona.ExpandableArrayBuffer();
        lowMember.encodePut(edge, out);
        io.grpc.StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> highMember.encodePut(edge, out));
        assertEquals("etcdserver: request is too large", refused.getStatus().getDescription());
        assertEquals(KvCodec.raftRequestBytes(edge.getSerializedSize()) + 1,
                KvCodec.raftRequestBytes(edge.getSerializedSize(), 0xcdefL));
    }
}
