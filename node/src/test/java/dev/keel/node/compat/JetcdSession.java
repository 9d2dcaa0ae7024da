package dev.keel.node.compat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.StatusRuntimeException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The same client session as the etcdctl one, through jetcd 0.8.5's API: puts and gets with options, deletes,
 * txns, compaction, status and member list, each call rendered as one line of text (or its gRPC error), masked
 * like etcdctl's output. Run against Keel and etcd, the transcripts must be equal.
 */
final class JetcdSession {
    private static final long TIMEOUT_SECONDS = 15;

    private final Client client;
    private final KV kv;
    private final ClusterFacts facts;
    private final OutputMasks masks;
    private final StringBuilder transcript = new StringBuilder();

    JetcdSession(Client client, ClusterFacts facts, long baseIndex) {
        this.client = client;
        this.kv = client.getKVClient();
        this.facts = facts;
        this.masks = new OutputMasks(facts, baseIndex);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Runs the whole session; returns its masked transcript, one line per call. */
    String run() {
        putsAndGets();
        deletes();
        txns();
        compaction();
        errors();
        clusterViews();
        return transcript.toString();
    }

    private void putsAndGets() {
        for (String[] kvp : new String[][]{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"a", "11"}, {"a2", "x"}}) {
            call("put " + kvp[0] + "=" + kvp[1], () -> kv.put(bytes(kvp[0]), bytes(kvp[1])), this::put);
        }
        call("put a2=y prevKv", () -> kv.put(bytes("a2"), bytes("y"), PutOption.builder().withPrevKV().build()),
                this::put);
        get("get a", "a", GetOption.DEFAULT);
        get("get prefix a", "a", GetOption.builder().isPrefix(true).build());
        get("get from-key", "\0", GetOption.builder().withRange(bytes("\0")).build());
        get("get [a, c)", "a", GetOption.builder().withRange(bytes("c")).build());
        get("get from-key limit 2", "a", GetOption.builder().withRange(bytes("\0")).withLimit(2).build());
        get("get keys-only", "a", GetOption.builder().isPrefix(true).withKeysOnly(true).build());
        get("get count-only", "\0", GetOption.builder().withRange(bytes("\0")).withCountOnly(true).build());
        for (GetOption.SortTarget target : GetOption.SortTarget.values()) {
            for (GetOption.SortOrder order : GetOption.SortOrder.values()) {
                get("get sort " + target + " " + order, "\0", GetOption.builder().withRange(bytes("\0"))
                        .withSortField(target).withSortOrder(order).build());
            }
        }
        get("get a rev 2", "a", GetOption.builder().withRevision(2).build());
        get("get all rev 3", "\0", GetOption.builder().withRange(bytes("\0")).withRevision(3).build());
        get("get serializable", "a", GetOption.builder().withSerializable(true).build());
        get("get mod-rev window", "\0", GetOption.builder().withRange(bytes("\0")).withMinModRevision(3)
                .withMaxModRevision(5).build());
        get("get create-rev window", "\0", GetOption.builder().withRange(bytes("\0")).withMinCreateRevision(4)
                .build());
        get("get missing", "nothing-here", GetOption.DEFAULT);
    }

    private void deletes() {
        call("delete missing", () -> kv.delete(bytes("nothing-here")), this::delete);
        call("delete b prevKv", () -> kv.delete(bytes("b"), DeleteOption.builder().withPrevKV(true).build()),
                this::delete);
        call("delete prefix a prevKv", () -> kv.delete(bytes("a"), DeleteOption.builder().isPrefix(true)
                .withPrevKV(true).build()), this::delete);
        get("get after deletes", "\0", GetOption.builder().withRange(bytes("\0")).build());
    }

    private void txns() {
        call("put x=1", () -> kv.put(bytes("x"), bytes("1")), this::put);
        call("txn value(x)=1 then put y, get x else put z", () -> kv.txn()
                .If(new Cmp(bytes("x"), Cmp.Op.EQUAL, CmpTarget.value(bytes("1"))))
                .Then(Op.put(bytes("y"), bytes("10"), PutOption.DEFAULT), Op.get(bytes("x"), GetOption.DEFAULT))
                .Else(Op.put(bytes("z"), bytes("0"), PutOption.DEFAULT)).commit(), this::txn);
        call("txn version(x)>5 then put never else delete x prevKv, get y", () -> kv.txn()
                .If(new Cmp(bytes("x"), Cmp.Op.GREATER, CmpTarget.version(5)))
                .Then(Op.put(bytes("never"), bytes("here"), PutOption.DEFAULT))
                .Else(Op.delete(bytes("x"), DeleteOption.builder().withPrevKV(true).build()),
                        Op.get(bytes("y"), GetOption.DEFAULT)).commit(), this::txn);
        call("txn create(y)<100, mod(y)!=0 then nested txn", () -> kv.txn()
                .If(new Cmp(bytes("y"), Cmp.Op.LESS, CmpTarget.createRevision(100)),
                        new Cmp(bytes("y"), Cmp.Op.NOT_EQUAL, CmpTarget.modRevision(0)))
                .Then(Op.txn(new Cmp[]{new Cmp(bytes("y"), Cmp.Op.EQUAL, CmpTarget.value(bytes("10")))},
                        new Op[]{Op.put(bytes("nested"), bytes("yes"), PutOption.DEFAULT)},
                        new Op[]{Op.put(bytes("nested"), bytes("no"), PutOption.DEFAULT)})).commit(), this::txn);
        call("txn put twice (duplicate key)", () -> kv.txn()
                .Then(Op.put(bytes("d"), bytes("1"), PutOption.DEFAULT), Op.put(bytes("d"), bytes("2"),
                        PutOption.DEFAULT)).commit(), this::txn);
        get("get after txns", "\0", GetOption.builder().withRange(bytes("\0")).build());
    }

    private void compaction() {
        call("compact 5", () -> kv.compact(5), r -> header(r));
        call("compact 5 again", () -> kv.compact(5), r -> header(r));
        call("compact 4 physical", () -> kv.compact(4, CompactOption.builder().withCompactPhysical(true)
                .build()), r -> header(r));
        get("get a rev 4 (compacted)", "a", GetOption.builder().withRevision(4).build());
        get("get all rev 5", "\0", GetOption.builder().withRange(bytes("\0")).withRevision(5).build());
        call("compact 1000 (future)", () -> kv.compact(1000), r -> header(r));
    }

    private void errors() {
        call("put empty key", () -> kv.put(bytes(""), bytes("v")), this::put);
        get("get empty key", "", GetOption.DEFAULT);
        get("get future revision", "a", GetOption.builder().withRevision(1000).build());
        call("delete empty key", () -> kv.delete(bytes("")), this::delete);
    }

    private void clusterViews() {
        ClusterSettling.awaitSettled(facts, false, "jetcd session");
        for (String name : facts.clientEndpoints().keySet()) {
            call("status " + name, () -> client.getMaintenanceClient()
                    .statusMember("http://" + facts.endpoint(name)), this::status);
        }
        call("member list", () -> client.getClusterClient().listMember(), r -> header(r) + " "
                + members(r.getMembers()));
    }

    private void get(String what, String key, GetOption option) {
        call(what, () -> kv.get(bytes(key), option), this::range);
    }

    private <T> void call(String what, Supplier<CompletableFuture<T>> request, Function<T, String> render) {
        String line;
        try {
            line = render.apply(request.get().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            line = error(e);
        }
        transcript.append(what).append(" -> ").append(masks.mask(List.of(), line)).append('\n');
    }

    /** The gRPC status behind a jetcd failure: code and description, which etcd's and Keel's must share. */
    static String error(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                return "error " + s.getStatus().getCode() + ": " + s.getStatus().getDescription();
            }
            if (t instanceof EtcdException x && t.getCause() == null) {
                return "error " + x.getErrorCode() + ": " + x.getMessage();
            }
        }
        return "error " + e;
    }

    private static String header(Response r) {
        Response.Header h = r.getHeader();
        return "[cluster=" + Long.toUnsignedString(h.getClusterId()) + " member="
                + Long.toUnsignedString(h.getMemberId()) + " rev=" + h.getRevision() + " term=" + h.getRaftTerm()
                + "]";
    }

    private static String kv(KeyValue kv) {
        return kv.getKey() + "=" + kv.getValue() + "@c" + kv.getCreateRevision() + "/m" + kv.getModRevision()
                + "/v" + kv.getVersion() + "/l" + kv.getLease();
    }

    private static String kvs(List<KeyValue> kvs) {
        List<String> out = new ArrayList<>();
        kvs.forEach(k -> out.add(kv(k)));
        return out.toString();
    }

    private String put(PutResponse r) {
        return header(r) + (r.hasPrevKv() ? " prev=" + kv(r.getPrevKv()) : "");
    }

    private String range(GetResponse r) {
        return header(r) + " count=" + r.getCount() + " more=" + r.isMore() + " " + kvs(r.getKvs());
    }

    private String delete(DeleteResponse r) {
        return header(r) + " deleted=" + r.getDeleted() + " prev=" + kvs(r.getPrevKvs());
    }

    private String txn(TxnResponse r) {
        StringBuilder b = new StringBuilder(header(r)).append(" succeeded=").append(r.isSucceeded());
        r.getPutResponses().forEach(p -> b.append(" put").append(put(p)));
        r.getGetResponses().forEach(g -> b.append(" get").append(range(g)));
        r.getDeleteResponses().forEach(d -> b.append(" delete").append(delete(d)));
        r.getTxnResponses().forEach(t -> b.append(" txn{").append(txn(t)).append('}'));
        return b.toString();
    }

    private String status(StatusResponse r) {
        return header(r) + " version=<version> dbSize=<db-size> leader=" + Long.toUnsignedString(r.getLeader())
                + " raftIndex=" + masks.relativeIndex(Long.toString(r.getRaftIndex())) + " raftTerm="
                + r.getRaftTerm();
    }

    private static String members(List<Member> members) {
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Member::getName));
        List<String> out = new ArrayList<>();
        for (Member m : sorted) {
            out.add(Long.toUnsignedString(m.getId()) + " " + m.getName() + " peers=" + m.getPeerURIs() + " clients="
                    + m.getClientURIs() + " learner=" + m.isLearner());
        }
        return out.toString();
    }
}
