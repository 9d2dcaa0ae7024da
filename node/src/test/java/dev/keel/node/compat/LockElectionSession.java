package dev.keel.node.compat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.options.GetOption;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * jetcd 0.8.5's Lock and Election clients (etcd's v3lock and v3election services) in one session: a lock taken,
 * a second contender waiting until the first unlocks, a holder's lease revoked, an unknown lease; an election
 * campaigned, observed, proclaimed, resigned, taken over. Lease IDs are rendered as L1, L2, ... in grant order
 * so the transcripts of Keel and etcd compare equal.
 */
final class LockElectionSession {
    private static final long TIMEOUT_SECONDS = 20;
    private final Client client;
    private final Lock lock;
    private final Election election;
    private final Lease lease;
    private final Map<Long, String> leaseNames = new LinkedHashMap<>();
    private final StringBuilder transcript = new StringBuilder();

    LockElectionSession(Client client) {
        this.client = client;
        this.lock = client.getLockClient();
        this.election = client.getElectionClient();
        this.lease = client.getLeaseClient();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    String run() throws Exception {
        long l1 = grant();
        long l2 = grant();
        long l3 = grant();
        locks(l1, l2, l3);
        elections(grant(), grant());
        return transcript.toString();
    }

    private long grant() throws Exception {
        long id = lease.grant(60).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
        leaseNames.put(id, "L" + (leaseNames.size() + 1));
        return id;
    }

    private void locks(long l1, long l2, long l3) throws Exception {
        var first = lock.lock(bytes("lk"), l1).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        line("lock lk L1 -> key=" + key(first.getKey()) + " rev=" + first.getHeader().getRevision());
        var second = lock.lock(bytes("lk"), l2);
        awaitKeys("lk/", 2);
        line("lock lk L2 while L1 holds it -> waiting=" + !second.isDone());
        var unlocked = lock.unlock(first.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        line("unlock L1 -> rev=" + unlocked.getHeader().getRevision());
        var got = second.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        line("lock lk L2 acquired -> key=" + key(got.getKey()) + " rev=" + got.getHeader().getRevision());
        var third = lock.lock(bytes("lk"), l3);
        awaitKeys("lk/", 2);
        lease.revoke(l2).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var taken = third.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        line("L2 revoked while holding lk; L3 -> key=" + key(taken.getKey()) + " rev="
                + taken.getHeader().getRevision());
        line("lock lk with an unknown lease -> " + outcome(lock.lock(bytes("lk"), 0x7e57L)));
        line("unlock a key nobody holds -> " + outcome(lock.unlock(bytes("lk/none")).thenApply(r -> "ok")));
    }

    private void elections(long l4, long l5) throws Exception {
        line("leader of an empty election -> " + outcome(election.leader(bytes("el")).thenApply(this::render)));
        List<String> observed = new CopyOnWriteArrayList<>();
        CampaignResponse won = election.campaign(bytes("el"), l4, bytes("a")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LeaderKey leader = won.getLeader();
        line("campaign el L4 a -> " + render(leader) + " rev=" + won.getHeader().getRevision());
        line("leader el -> " + render(election.leader(bytes("el")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        election.observe(bytes("el"), new Election.Listener() {
            @Override
            public void onNext(LeaderResponse r) {
                observed.add(r.getKv().getValue().toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Throwable throwable) {
                observed.add("error " + JetcdSession.error(throwable));
            }

            @Override
            public void onCompleted() {
                observed.add("completed");
            }
        });
        await(() -> observed.size() >= 1, "the observer to see the first leader");
        CompletableFuture<CampaignResponse> challenger = election.campaign(bytes("el"), l5, bytes("b"));
        awaitKeys("el/", 2);
        line("campaign el L5 b while L4 leads -> waiting=" + !challenger.isDone());
        line("proclaim a2 -> " + outcome(election.proclaim(leader, bytes("a2")).thenApply(r -> "rev="
                + r.getHeader().getRevision())));
        await(() -> observed.size() >= 2, "the observer to see the proclamation");
        line("resign L4 -> " + outcome(election.resign(leader).thenApply(r -> "rev=" + r.getHeader().getRevision())));
        CampaignResponse next = challenger.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        line("campaign el L5 b won -> " + render(next.getLeader()));
        await(() -> observed.size() >= 3, "the observer to see the new leader");
        line("leader el -> " + render(election.leader(bytes("el")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        line("proclaim with the resigned key -> " + outcome(election.proclaim(leader, bytes("x")).thenApply(r -> "ok")));
        line("observed -> " + observed);
    }

    private void awaitKeys(String prefix, int count) throws Exception {
        await(() -> {
            try {
                return client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getKvs().size() >= count;
            } catch (Exception e) {
                return false;
            }
        }, count + " keys under " + prefix);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private String outcome(CompletableFuture<?> f) {
        try {
            return String.valueOf(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) instanceof io.etcd.jetcd.lock.LockResponse r
                    ? "key=" + key(r.getKey()) : f.get());
        } catch (Exception e) {
            return JetcdSession.error(e);
        }
    }

    private String render(LeaderKey k) {
        return "leader{name=" + k.getName() + " key=" + key(k.getKey()) + " rev=" + k.getRevision() + " lease="
                + leaseNames.getOrDefault(k.getLease(), "?") + "}";
    }

    private String render(LeaderResponse r) {
        return "kv{key=" + key(r.getKv().getKey()) + " value=" + r.getKv().getValue() + " create="
                + r.getKv().getCreateRevision() + " mod=" + r.getKv().getModRevision() + " lease="
                + leaseNames.getOrDefault(r.getKv().getLease(), "?") + "}";
    }

    /** A lock or election key with its lease's hex ID replaced by the lease's name. */
    private String key(ByteSequence key) {
        String s = key.toString(StandardCharsets.UTF_8);
        for (Map.Entry<Long, String> e : leaseNames.entrySet()) {
            s = s.replace(Long.toHexString(e.getKey()), e.getValue());
        }
        return s;
    }

    private void line(String s) {
        transcript.append(s).append('\n');
    }

    static List<String> lines(String transcript) {
        return new ArrayList<>(List.of(transcript.split("\n")));
    }
}
