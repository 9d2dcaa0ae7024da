package dev.keel.node.compat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * etcd serves a txn whose ops are all ranges without Raft ({@code isTxnReadonly} in {@code v3_server.go}: a
 * ReadIndex, or nothing if every range is serializable), so it adds no log entry; so does Keel (the replica's
 * read path serves read-only txns). Compared through the raft index both report.
 */
class ReadOnlyTxnRaftIndexTest {
    private static ComparedClusters clusters;

    @BeforeAll
    static void startClusters() {
        EtcdTools.requireEtcd();
        clusters = ComparedClusters.start(1, UnaryOperator.identity(), List.of());
    }

    @AfterAll
    static void stopClusters() {
        if (clusters != null) {
            clusters.close();
        }
    }

    private static long raftEntriesFor(ClusterFacts facts, TxnRequest txn) {
        KVGrpc.KVBlockingStub kv = GrpcClients.newClient("http://" + facts.endpoint("m1"),
                KVGrpc.KVBlockingStub.class);
        kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v"))
                .build());
        long before = ClusterSettling.awaitSettled(facts, false, "before the txn");
        kv.txn(txn);
        return ClusterSettling.awaitSettled(facts, false, "after the txn") - before;
    }

    @Test
    void aReadOnlyTxnAddsNoRaftEntry() {
        TxnRequest readOnly = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                .setRequestRange(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")))).build();
        assertEquals(raftEntriesFor(clusters.etcdFacts, readOnly), raftEntriesFor(clusters.keelFacts, readOnly),
                "raft entries a read-only txn adds (etcd: 0)");
    }
}
