package dev.keel.harness.workload.set;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Failures;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.support.Revisions;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The set workload's calls, recorded as Jepsen's set workload records them: {@code :add n} (a Put of
 * {@code /torture/set/<n>}) and the final {@code :read nil} completing with the set of elements present, read
 * linearizably as one prefix range.
 */
public final class SetClient {
    /** The prefix of the set's keys; element n lives at {@code /torture/set/<n>}. */
    public static final String PREFIX = "/torture/set/";

    private final EtcdClients etcd;
    private final Recorder recorder;

    /**
     * @param etcd     stubs with the run's call deadline
     * @param recorder the workload's history
     */
    public SetClient(EtcdClients etcd, Recorder recorder) {
        this.etcd = etcd;
        this.recorder = recorder;
    }

    /**
     * Adds {@code element} through {@code endpoint}.
     *
     * @return whether the call answered (false: the caller should pick another member)
     */
    public boolean add(Recorder.Process process, String endpoint, long element) {
        Recorder.Op op = recorder.invoke(process, "add", element);
        ByteString key = ByteString.copyFromUtf8(PREFIX + element);
        try {
            etcd.kv(endpoint).put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("1")).build());
            recorder.ok(op, element);
            return true;
        } catch (RuntimeException e) {
            recorder.failedWrite(op, element, e);
            return false;
        }
    }

    /**
     * Reads every element present, linearizably, through {@code endpoint}.
     *
     * @return whether the read succeeded (a failed read is recorded {@code :fail}; the caller retries)
     */
    public boolean read(Recorder.Process process, String endpoint) {
        Recorder.Op op = recorder.invoke(process, "read", null);
        RangeRequest range = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(PREFIX))
                .setRangeEnd(Revisions.prefixEnd(PREFIX)).setKeysOnly(true).build();
        try {
            RangeResponse response = etcd.kv(endpoint).range(range);
            Set<Object> elements = new TreeSet<>(SetChecker.ELEMENT_ORDER);
            for (KeyValue kv : response.getKvsList()) {
                elements.add(element(kv.getKey().toString(StandardCharsets.UTF_8)));
            }
            recorder.ok(op, elements);
            return true;
        } catch (RuntimeException e) {
            recorder.fail(op, null, Failures.describe(e));
            return false;
        }
    }

    /** @return the element a key stands for: its integer suffix, or the key itself if it has none */
    static Object element(String key) {
        try {
            return Long.parseLong(key.substring(PREFIX.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return key; // not written by this workload: the checker reports it as unexpected
        }
    }
}
