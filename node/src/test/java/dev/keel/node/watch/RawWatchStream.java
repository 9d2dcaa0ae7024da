package dev.keel.node.watch;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Watch stream driven by hand, with etcd 3.4's request fields jetcd-grpc lacks (watch_id, fragment) written by
 * number. With {@code manualReading} the test decides how many responses gRPC may read ({@link #read}); otherwise
 * every response is read as it comes.
 */
public final class RawWatchStream implements AutoCloseable {
    private final ManagedChannel channel;
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private ClientCallStreamObserver<WatchRequest> requests;

    public RawWatchStream(String endpoint, boolean manualReading) {
        this(endpoint, manualReading, false);
    }

    /** @param requireLeader send etcd's "require leader" metadata ({@code hasleader: true}), as etcdctl watch does */
    public RawWatchStream(String endpoint, boolean manualReading, boolean requireLeader) {
        channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().maxInboundMessageSize(64 << 20).build();
        WatchGrpc.WatchStub stub = WatchGrpc.newStub(channel);
        if (requireLeader) {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        }
        stub.watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> stream) {
                requests = stream;
                if (manualReading) {
                    stream.disableAutoRequestWithInitial(0);
                }
            }

            @Override
            public void onNext(WatchResponse r) {
                received.add(r);
            }

            @Override
            public void onError(Throwable t) {
                received.add(t);
            }

            @Override
            public void onCompleted() {
                received.add("completed");
            }
        });
    }

    public static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** A create request; {@code watchId} and {@code fragment} go in etcd 3.4's fields 7 and 8. */
    public static WatchCreateRequest.Builder create(String key, String end, long watchId, boolean fragment) {
        UnknownFieldSet.Builder extra = UnknownFieldSet.newBuilder();
        if (watchId != 0) {
            extra.addField(7, UnknownFieldSet.Field.newBuilder().addVarint(watchId).build());
        }
        if (fragment) {
            extra.addField(8, UnknownFieldSet.Field.newBuilder().addVarint(1).build());
        }
        return WatchCreateRequest.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(end))
                .setUnknownFields(extra.build());
    }

    public void send(WatchCreateRequest.Builder create) {
        send(WatchRequest.newBuilder().setCreateRequest(create).build());
    }

    public void cancel(long watchId) {
        send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
    }

    public void progress() {
        send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    public synchronized void send(WatchRequest r) {
        requests.onNext(r);
    }

    /** Lets gRPC read {@code n} more responses (manual reading only). */
    public void read(int n) {
        requests.request(n);
    }

    /** @return the next response; fails after 20 s or if the stream ended */
    public WatchResponse next() {
        Object o = nextEnd();
        if (!(o instanceof WatchResponse r)) {
            throw new AssertionError("expected a watch response, the stream ended: " + o);
        }
        return r;
    }

    /** @return the next response, the error the stream ended with, or "completed"; fails after 20 s */
    public Object nextEnd() {
        try {
            Object o = received.poll(20, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("no watch response within 20 s");
            }
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Half-closes the request side, as a client that is done. */
    public void finish() {
        requests.onCompleted();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
