package dev.keel.harness.workload.register;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Failures;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.ClientSession;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One register client's operations against etcd, recorded the way Jepsen's etcd test records its
 * {@code jepsen.independent} cas-register: {@code :read [k nil]} completing {@code [k v]}, {@code :write [k v]},
 * {@code :cas [k [old new]]}, where a cas whose compare did not hold is {@code :fail}.
 */
public final class RegisterClient {
    /** The prefix of the register keys; key k lives at {@code /torture/register/<k>}. */
    public static final String PREFIX = "/torture/register/";
    /** Values written and compared are 0 to this, exclusive. */
    static final int VALUES = 5;

    private final EtcdClients etcd;
    private final Recorder recorder;
    private final int keys;

    /**
     * @param etcd     stubs with the run's call deadline
     * @param recorder the workload's history
     * @param keys     how many registers there are (keys 0 to keys - 1)
     */
    public RegisterClient(EtcdClients etcd, Recorder recorder, int keys) {
        this.etcd = etcd;
        this.recorder = recorder;
        this.keys = keys;
    }

    /** Runs one random operation: read (1/2), write (1/4) or cas (1/4) on a random key. */
    public void step(ClientSession session, Recorder.Process process, String endpoint) {
        long key = session.random().nextInt(keys);
        int dice = session.random().nextInt(4);
        if (dice < 2) {
            read(session, process, endpoint, key);
        } else if (dice == 2) {
            write(session, process, endpoint, key, session.random().nextInt(VALUES));
        } else {
            cas(session, process, endpoint, key, session.random().nextInt(VALUES), session.random().nextInt(VALUES));
        }
    }

    private void read(ClientSession session, Recorder.Process process, String endpoint, long key) {
        Recorder.Op op = recorder.invoke(process, "read", Arrays.asList(key, null), endpoint);
        try {
            RangeResponse response = etcd.kv(endpoint).range(RangeRequest.newBuilder().setKey(keyBytes(key)).build());
            Object value = response.getKvsCount() == 0 ? null : parse(response.getKvs(0).getValue());
            recorder.ok(op, Arrays.asList(key, value));
        } catch (RuntimeException e) {
            recorder.fail(op, Arrays.asList(key, null), Failures.describe(e)); // a failed read changed nothing
            session.dropEndpoint();
        }
    }

    private void write(ClientSession session, Recorder.Process process, String endpoint, long key, long value) {
        List<Object> argument = List.of(key, value);
        Recorder.Op op = recorder.invoke(process, "write", argument, endpoint);
        try {
            etcd.kv(endpoint).put(PutRequest.newBuilder().setKey(keyBytes(key)).setValue(valueBytes(value)).build());
            recorder.ok(op, argument);
        } catch (RuntimeException e) {
            recorder.failedWrite(op, argument, e);
            session.dropEndpoint();
        }
    }

    private void cas(ClientSession session, Recorder.Process process, String endpoint, long key, long expected,
                     long replacement) {
        List<Object> argument = List.of(key, List.of(expected, replacement));
        Recorder.Op op = recorder.invoke(process, "cas", argument, endpoint);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(keyBytes(key)).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(valueBytes(expected)))
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(keyBytes(key)).setValue(valueBytes(replacement))))
                .build();
        try {
            if (etcd.kv(endpoint).txn(txn).getSucceeded()) {
                recorder.ok(op, argument);
            } else {
                recorder.fail(op, argument, null); // etcd's answer: the compare did not hold, nothing was written
            }
        } catch (RuntimeException e) {
            recorder.failedWrite(op, argument, e);
            session.dropEndpoint();
        }
    }

    static ByteString keyBytes(long key) {
        return ByteString.copyFromUtf8(PREFIX + key);
    }

    private static ByteString valueBytes(long value) {
        return ByteString.copyFromUtf8(Long.toString(value));
    }

    /** @return the stored value as an integer, or the raw text when it is not one (the checker will object) */
    private static Object parse(ByteString stored) {
        String text = stored.toString(StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
