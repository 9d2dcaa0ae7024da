package dev.keel.benchmarks.node;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load loop of the node-vs-etcd comparison: etcd's {@code KV.Put} over gRPC (Armeria's client with
 * jetcd-grpc's stubs), the same code for Keel and for etcd. Keys are 12 bytes ({@code key000000000} ..
 * {@code key000999999}, cycling), values 256 random bytes. A warm-up phase runs first and is not recorded;
 * then every put that completes in the measured phase has its latency (send to response) recorded in an
 * HdrHistogram.
 */
public final class PutLoad {
    /** Bytes of every value. */
    public static final int VALUE_BYTES = 256;
    private static final int KEY_SPACE = 1_000_000;
    private static final long RESPONSE_TIMEOUT_MILLIS = 10_000;
    /** A run with more failed puts than this is abandoned: the cluster is not serving. */
    private static final long MAX_ERRORS = 1_000;

    private PutLoad() {
    }

    /**
     * What one measured phase gave.
     *
     * @param ops           puts completed in the measured phase
     * @param seconds       the measured phase's length
     * @param errors        puts that failed during warm-up and measurement
     * @param latencyNanos  every measured put's latency
     * @param cpuMillis     CPU time the cluster's member processes used in the measured phase (0 if not known)
     */
    public record Result(long ops, double seconds, long errors, Histogram latencyNanos, double cpuMillis) {
        /** A result without the members' CPU time. */
        public Result(long ops, double seconds, long errors, Histogram latencyNanos) {
            this(ops, seconds, errors, latencyNanos, 0);
        }

        /** @return this result with the members' CPU time in the measured phase */
        public Result withCpuMillis(double millis) {
            return new Result(ops, seconds, errors, latencyNanos, millis);
        }

        /** @return CPU milliseconds the members spent per put (all members together) */
        public double cpuMillisPerPut() {
            return ops == 0 ? 0 : cpuMillis / ops;
        }

        /** @return completed puts per second */
        public double opsPerSecond() {
            return ops / seconds;
        }

        /** @return the latency at {@code percentile} (0..100), in microseconds */
        public double micros(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1000.0;
        }

        /** @return this result and {@code other} as one (histograms merged, counts and time summed) */
        public Result plus(Result other) {
            Histogram merged = latencyNanos.copy();
            merged.add(other.latencyNanos);
            return new Result(ops + other.ops, seconds + other.seconds, errors + other.errors, merged,
                    cpuMillis + other.cpuMillis);
        }
    }

    /**
     * One client, one put at a time (a closed loop): each put is sent when the previous one answered.
     *
     * @param endpoint {@code host:port} of the member to write to (the leader)
     */
    public static Result closedLoop(String endpoint, Duration warmup, Duration measure) {
        ClientFactory factory = ClientFactory.builder().workerGroup(1).build();
        try {
            KVGrpc.KVBlockingStub kv = GrpcClients.builder("http://" + endpoint).factory(factory)
                    .responseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS).build(KVGrpc.KVBlockingStub.class);
            Workload work = new Workload(1);
            Histogram latency = newHistogram();
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            long errors = 0;
            long ops = 0;
            for (long now = start; now < end; ) {
                PutRequest request = work.next();
                try {
                    kv.put(request);
                } catch (RuntimeException e) {
                    if (++errors > MAX_ERRORS) {
                        throw new IllegalStateException(endpoint + " fails its puts: " + e, e);
                    }
                }
                long done = System.nanoTime();
                if (now >= measureFrom) {
                    latency.recordValue(done - now);
                    ops++;
                }
                now = done;
            }
            return new Result(ops, measure.toNanos() / 1e9, errors, latency);
        } finally {
            factory.close();
        }
    }

    /**
     * {@code outstanding} puts in flight at all times, spread over {@code connections} HTTP/2 connections (one
     * client factory with one event loop each): a put is sent as soon as one answers.
     *
     * @param endpoint {@code host:port} of the member to write to (the leader)
     */
    public static Result concurrent(String endpoint, int outstanding, int connections, Duration warmup,
                                    Duration measure) throws InterruptedException {
        if (outstanding < 1 || connections < 1) {
            throw new IllegalArgumentException("need at least one put in flight and one connection");
        }
        List<ClientFactory> factories = new ArrayList<>();
        try {
            List<KVGrpc.KVStub> stubs = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                ClientFactory factory = ClientFactory.builder().workerGroup(1).build();
                factories.add(factory);
                stubs.add(GrpcClients.builder("http://" + endpoint).factory(factory)
                        .responseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS).build(KVGrpc.KVStub.class));
            }
            long start = System.nanoTime();
            Flight flight = new Flight(start + warmup.toNanos(), start + warmup.toNanos() + measure.toNanos(),
                    outstanding);
            for (int i = 0; i < outstanding; i++) {
                new Slot(stubs.get(i % connections), new Workload(i + 1), flight).send();
            }
            long waitMillis = warmup.toMillis() + measure.toMillis() + 2 * RESPONSE_TIMEOUT_MILLIS;
            if (!flight.finished.await(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(endpoint + ": puts still unanswered " + waitMillis + " ms after start");
            }
            if (flight.errors.get() > MAX_ERRORS) {
                throw new IllegalStateException(endpoint + " fails its puts: " + flight.lastError);
            }
            Histogram latency = flight.latency.getIntervalHistogram();
            return new Result(latency.getTotalCount(), measure.toNanos() / 1e9, flight.errors.get(), latency);
        } finally {
            factories.forEach(ClientFactory::close);
        }
    }

    /**
     * {@code PutLoad ENDPOINT [OUTSTANDING [CONNECTIONS [WARMUP_S [MEASURE_S]]]]}: one run against a running
     * member, for profiling by hand; OUTSTANDING 1 (the default) is the closed loop.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: PutLoad ENDPOINT [OUTSTANDING [CONNECTIONS [WARMUP_S [MEASURE_S]]]]");
            System.exit(2);
        }
        int outstanding = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Duration warmup = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 5);
        Duration measure = Duration.ofSeconds(args.length > 4 ? Integer.parseInt(args[4]) : 15);
        Result r = outstanding == 1 ? closedLoop(args[0], warmup, measure)
                : concurrent(args[0], outstanding, connections, warmup, measure);
        System.out.printf("%,.0f puts/s, p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us, %d errors%n",
                r.opsPerSecond(), r.micros(50), r.micros(90), r.micros(99), r.latencyNanos().getMaxValue() / 1e3,
                r.errors());
        System.exit(0);
    }

    private static Histogram newHistogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    /** What the in-flight puts of one concurrent run share. */
    private static final class Flight {
        final long measureFrom;
        final long end;
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong errors = new AtomicLong();
        final CountDownLatch finished;
        volatile Throwable lastError;

        Flight(long measureFrom, long end, int slots) {
            this.measureFrom = measureFrom;
            this.end = end;
            this.finished = new CountDownLatch(slots);
        }
    }

    /** One of the outstanding puts: when it answers, the next one goes out, until the run ends. */
    private static final class Slot implements StreamObserver<PutResponse> {
        private final KVGrpc.KVStub kv;
        private final Workload work;
        private final Flight flight;
        private long sentAt;

        Slot(KVGrpc.KVStub kv, Workload work, Flight flight) {
            this.kv = kv;
            this.work = work;
            this.flight = flight;
        }

        void send() {
            sentAt = System.nanoTime();
            kv.put(work.next(), this);
        }

        @Override
        public void onNext(PutResponse value) {
            // the answer is complete once onCompleted arrives
        }

        @Override
        public void onCompleted() {
            long now = System.nanoTime();
            if (sentAt >= flight.measureFrom && now <= flight.end) {
                flight.latency.recordValue(now - sentAt);
            }
            next(now);
        }

        @Override
        public void onError(Throwable t) {
            flight.lastError = t;
            flight.errors.incrementAndGet();
            next(System.nanoTime());
        }

        private void next(long now) {
            if (now < flight.end && flight.errors.get() <= MAX_ERRORS) {
                send();
            } else {
                flight.finished.countDown();
            }
        }
    }

    /** One client's keys and values: its own random stream, keys cycling through the shared key space. */
    private static final class Workload {
        private final SplittableRandom random;
        private final byte[] value = new byte[VALUE_BYTES];

        Workload(long seed) {
            this.random = new SplittableRandom(seed);
        }

        PutRequest next() {
            random.nextBytes(value);
            String key = String.format("key%09d", random.nextInt(KEY_SPACE));
            return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                    .setValue(ByteString.copyFrom(value)).build();
        }
    }
}
