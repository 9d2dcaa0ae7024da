package dev.keel.harness.nemesis;

import dev.keel.harness.cluster.ClockControl;
import dev.keel.harness.cluster.ClusterControl;
import dev.keel.harness.cluster.Member;
import dev.keel.harness.cluster.Network;
import dev.keel.harness.cluster.StubMember;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster that only records what the nemesis asks of it, one line per call ({@code kill n2}, {@code block
 * n1->n3}), and refuses the operations a test names. Thread-safe.
 */
final class FakeCluster implements ClusterControl {
    private final List<Member> members = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final Set<String> refused = new HashSet<>();
    private final boolean clocksSupported;
    private String leader;
    private int nextName;

    FakeCluster(int size, boolean clocksSupported) {
        for (int i = 0; i < size; i++) {
            members.add(newMember());
        }
        leader = members.get(0).name();
        this.clocksSupported = clocksSupported;
    }

    /** Makes every call whose line starts with {@code operation} (e.g. {@code addMember}) throw. */
    synchronized void refuse(String operation) {
        refused.add(operation);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private synchronized void call(String line) {
        for (String operation : refused) {
            if (line.startsWith(operation)) {
                calls.add(line + " refused");
                throw new IllegalStateException(operation + " refused by the test");
            }
        }
        calls.add(line);
    }

    private Member newMember() {
        String name = "n" + (++nextName);
        return new StubMember(name, "127.0.0.1:" + (2000 + nextName));
    }

    @Override
    public synchronized List<Member> members() {
        return List.copyOf(members);
    }

    @Override
    public synchronized List<String> clientEndpoints() {
        return members.stream().map(Member::clientEndpoint).toList();
    }

    @Override
    public synchronized Optional<Member> leader() {
        return members.stream().filter(m -> m.name().equals(leader)).findFirst();
    }

    @Override
    public Network network() {
        return new Network() {
            @Override
            public void block(String from, String to) {
                call("block " + from + "->" + to);
            }

            @Override
            public void delay(String from, String to, long millis) {
                call("delay " + from + "->" + to + " " + millis);
            }

            @Override
            public void drop(String from, String to, double share) {
                call("drop " + from + "->" + to + " " + share);
            }

            @Override
            public void heal() {
                call("heal network");
            }

            @Override
            public String describe() {
                return "fake";
            }
        };
    }

    @Override
    public ClockControl clocks() {
        return new ClockControl() {
            @Override
            public boolean supported() {
                return clocksSupported;
            }

            @Override
            public String unsupportedReason() {
                return clocksSupported ? "" : "no libfaketime in the test";
            }

            @Override
            public void jump(Member member, long millis) {
                call("jump " + member.name() + " " + millis);
            }

            @Override
            public void rate(Member member, double rate) {
                call("rate " + member.name() + " " + rate);
            }

            @Override
            public void reset(Member member) {
                call("reset clock " + member.name());
            }
        };
    }

    @Override
    public void kill(Member member) {
        call("kill " + member.name());
    }

    @Override
    public void restart(Member member) {
        call("restart " + member.name());
    }

    @Override
    public void pause(Member member) {
        call("pause " + member.name());
    }

    @Override
    public void resume(Member member) {
        call("resume " + member.name());
    }

    @Override
    public synchronized Member addMember() {
        call("addMember");
        Member added = newMember();
        members.add(added);
        calls.set(calls.size() - 1, "addMember " + added.name());
        return added;
    }

    @Override
    public synchronized void removeMember(Member member) {
        call("removeMember " + member.name());
        members.removeIf(m -> m.name().equals(member.name()));
    }

    @Override
    public synchronized boolean moveLeader(Member target) {
        call("moveLeader " + target.name());
        leader = target.name();
        return true;
    }

    @Override
    public void healAll() {
        call("healAll");
    }

    @Override
    public void close() {
        call("close");
    }
}
