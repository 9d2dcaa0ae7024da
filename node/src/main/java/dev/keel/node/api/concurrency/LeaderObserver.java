package dev.keel.node.api.concurrency;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaderResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;

/**
 * One {@code Election.Observe} stream (etcd's {@code Election.observe}): finds the leader (the oldest key under
 * the prefix, or waits for the first put), sends it and every later put of that key, and when the key is
 * deleted looks for the next leader. The stream ends when a watch ends or the client goes away.
 */
final class LeaderObserver {
    private final SelfClient client;
    private final ByteString prefix;
    private final StreamObserver<LeaderResponse> out;
    private volatile boolean stopped;
    private StreamObserver<WatchRequest> current;

    LeaderObserver(SelfClient client, ByteString prefix, StreamObserver<LeaderResponse> out) {
        this.client = client;
        this.prefix = prefix;
        this.out = out;
    }

    void start() {
        findLeader();
    }

    /** The client went away: stop watching. */
    synchronized void stop() {
        stopped = true;
        if (current != null) {
            SelfClient.closeQuietly(current);
        }
    }

    private void findLeader() {
        if (stopped) {
            return;
        }
        client.range(Recipes.byCreate(prefix, RangeRequest.SortOrder.ASCEND).build()).whenComplete((r, failure) -> {
            if (failure != null) {
                end(failure);
            } else if (r.getKvsCount() == 0) {
                awaitFirstPut(r.getHeader().getRevision());
            } else {
                follow(r.getHeader(), r.getKvs(0));
            }
        });
    }

    private void awaitFirstPut(long revision) {
        WatchCreateRequest create = WatchCreateRequest.newBuilder().setKey(prefix)
                .setRangeEnd(Recipes.prefixEnd(prefix)).setStartRevision(revision).build();
        boolean[] found = new boolean[1];
        watch(create, r -> {
            for (Event e : r.getEventsList()) {
                if (!found[0] && e.getType() == Event.EventType.PUT) {
                    found[0] = true;
                    closeCurrent();
                    follow(r.getHeader().toBuilder().setRevision(e.getKv().getModRevision()).build(), e.getKv());
                    return;
                }
            }
        });
    }

    private void follow(ResponseHeader header, KeyValue leader) {
        if (!send(LeaderResponse.newBuilder().setHeader(header).setKv(leader).build())) {
            return;
        }
        WatchCreateRequest create = WatchCreateRequest.newBuilder().setKey(leader.getKey())
                .setStartRevision(header.getRevision() + 1).build();
        boolean[] deleted = new boolean[1];
        watch(create, r -> {
            for (Event e : r.getEventsList()) {
                if (deleted[0]) {
                    return;
                }
                if (e.getType() == Event.EventType.DELETE) {
                    deleted[0] = true;
                    closeCurrent();
                    findLeader();
                    return;
                }
                send(LeaderResponse.newBuilder().setHeader(r.getHeader()).setKv(e.getKv()).build());
            }
        });
    }

    private synchronized void watch(WatchCreateRequest create, java.util.function.Consumer<WatchResponse> onEvents) {
        if (stopped) {
            return;
        }
        StreamObserver<WatchRequest>[] self = new StreamObserver[1];
        self[0] = client.watch(create, r -> {
            if (r.getCanceled()) {
                end(null);
            } else if (r.getEventsCount() > 0) {
                onEvents.accept(r);
            }
        }, t -> {
            synchronized (this) {
                if (current != self[0]) {
                    return; // a watch this observer closed itself
                }
            }
            end(t);
        });
        current = self[0];
    }

    private synchronized void closeCurrent() {
        if (current != null) {
            StreamObserver<WatchRequest> c = current;
            current = null;
            SelfClient.closeQuietly(c);
        }
    }

    private synchronized boolean send(LeaderResponse response) {
        if (stopped) {
            return false;
        }
        out.onNext(response);
        return true;
    }

    private synchronized void end(Throwable failure) {
        if (stopped) {
            return;
        }
        stopped = true;
        closeCurrent();
        if (failure == null) {
            out.onCompleted();
        } else {
            out.onError(Calls.asServiceError(failure).asRuntimeException());
        }
    }
}
