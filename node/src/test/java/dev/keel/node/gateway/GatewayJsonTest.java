package dev.keel.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** JSON in and out as etcd 3.4's gateway reads and writes it; the texts are etcd 3.4.23's answers. */
class GatewayJsonTest {
    @Test
    void requestsParseWithProtoAndCamelNamesAndIgnoreUnknownFields() {
        RangeRequest r = (RangeRequest) GatewayJson.parse(
                "{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"keysOnly\":true,\"limit\":\"5\",\"bogus\":1}",
                RangeRequest.getDefaultInstance());
        assertEquals(ByteString.copyFromUtf8("foo"), r.getKey());
        assertEquals(ByteString.copyFromUtf8("fop"), r.getRangeEnd());
        assertEquals(true, r.getKeysOnly());
        assertEquals(5, r.getLimit());
    }

    @Test
    void nullAndNoValueAreTheEmptyMessage() {
        assertEquals(RangeRequest.getDefaultInstance(), GatewayJson.parse(null, RangeRequest.getDefaultInstance()));
        assertEquals(RangeRequest.getDefaultInstance(), GatewayJson.parse("null", RangeRequest.getDefaultInstance()));
    }

    @Test
    void badBodiesGetGoWording() {
        assertEquals("unexpected EOF", error("{\"key\":\"Zm9v"));
        assertEquals("json: cannot unmarshal array into Go value of type map[string]json.RawMessage", error("[1]"));
        assertEquals("json: cannot unmarshal string into Go value of type map[string]json.RawMessage",
                error("\"x\""));
        assertEquals("json: cannot unmarshal number 1.5 into Go value of type int64", error("{\"limit\":1.5}"));
        assertEquals("json: cannot unmarshal number into Go value of type []uint8", error("{\"key\":1}"));
        assertEquals("json: cannot unmarshal bool into Go value of type []uint8", error("{\"range_end\":true}"));
        // a quoted integer's content is decoded as JSON, as Go's jsonpb does
        assertEquals("invalid character 'x' looking for beginning of value", error("{\"limit\":\"x\"}"));
        assertEquals("json: cannot unmarshal number 1.5 into Go value of type int64", error("{\"limit\":\"1.5\"}"));
        assertEquals("json: cannot unmarshal string into Go value of type bool", error("{\"serializable\":\"yes\"}"));
        assertEquals("invalid character '\\'' looking for beginning of object key string", error("{'key':'Zm9v'}"));
        assertEquals("invalid character 'k' looking for beginning of object key string", error("{key:\"Zm9v\"}"));
        assertEquals("invalid character 'x' looking for beginning of value", error("{\"key\":\"Zm9v\",\"limit\":x}"));
        assertEquals("unknown value \"BOGUS\" for enum etcdserverpb.Compare_CompareTarget",
                assertThrows(GatewayJsonException.class, () -> GatewayJson.parse(
                        "{\"compare\":[{\"target\":\"BOGUS\",\"key\":\"Zm9v\"}]}", TxnRequest.getDefaultInstance()))
                        .getMessage());
    }

    private static String error(String body) {
        JsonValues values = new JsonValues(body);
        return assertThrows(GatewayJsonException.class,
                () -> GatewayJson.parse(values.next(), RangeRequest.getDefaultInstance())).getMessage();
    }

    @Test
    void responsesPrintProtoNamesInt64AsStringsAndOmitDefaults() {
        StatusResponse s = StatusResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setClusterId(-1).setRevision(3))
                .setVersion("3.4.0").setDbSize(20480).setLeader(7).setRaftIndex(14).setRaftTerm(2)
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(14).build())
                        .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(16384).build())
                        .addField(10, UnknownFieldSet.Field.newBuilder().addVarint(0).build()).build())
                .build();
        assertEquals("{\"header\":{\"cluster_id\":\"18446744073709551615\",\"revision\":\"3\"},\"version\":\"3.4.0\","
                + "\"dbSize\":\"20480\",\"leader\":\"7\",\"raftIndex\":\"14\",\"raftTerm\":\"2\","
                + "\"raftAppliedIndex\":\"14\",\"dbSizeInUse\":\"16384\"}", GatewayJson.print(s));
    }

    @Test
    void watchCreateExtrasTheWireClassLacksParseIntoTheirFieldNumbers() {
        WatchRequest w = (WatchRequest) GatewayJson.parse(
                "{\"create_request\":{\"key\":\"Zm9v\",\"prev_kv\":true,\"watchId\":\"7\",\"fragment\":true}}",
                WatchRequest.getDefaultInstance());
        UnknownFieldSet u = w.getCreateRequest().getUnknownFields();
        assertEquals(true, w.getCreateRequest().getPrevKv()); // jetcd 0.8.5 declares prev_kv (6) itself
        assertEquals(List.of(7L), u.getField(7).getVarintList());
        assertEquals(List.of(1L), u.getField(8).getVarintList());
        assertEquals(ByteString.copyFromUtf8("foo"), w.getCreateRequest().getKey());
    }

    @Test
    void watchResponseFragmentPrintsInFieldOrderBeforeEvents() {
        WatchResponse r = WatchResponse.newBuilder().setWatchId(7)
                .addEvents(Event.newBuilder().setType(Event.EventType.DELETE)
                        .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("foo")).setModRevision(7)))
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
                .build();
        assertEquals("{\"watch_id\":\"7\",\"fragment\":true,\"events\":[{\"type\":\"DELETE\",\"kv\":{\"key\":\"Zm9v\","
                + "\"mod_revision\":\"7\"}}]}", GatewayJson.print(r));
    }

    @Test
    void bodiesSplitIntoTheirTopLevelValues() {
        JsonValues v = new JsonValues(" {\"a\":\"}{\\\"\"} [1,{}]\n{\"b\":{}} null ");
        List<String> out = new ArrayList<>();
        for (String s = v.next(); s != null; s = v.next()) {
            out.add(s);
        }
        assertEquals(List.of("{\"a\":\"}{\\\"\"}", "[1,{}]", "{\"b\":{}}", "null"), out);
        assertEquals("unexpected EOF", assertThrows(GatewayJsonException.class,
                () -> new JsonValues("{\"a\":{}").next()).getMessage());
    }
}
