package dev.keel.harness.nemesis;

import dev.keel.harness.cluster.ClusterControl;
import dev.keel.harness.cluster.Member;
import dev.keel.harness.cluster.Network;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Turns a {@link FaultStep} into calls on a {@link ClusterControl}: resolves its targets against the cluster
 * as it is now (the leader, member indices modulo the current size), acts, and registers on the
 * {@link ActiveFault} how to undo each thing done. Used by the nemesis thread only.
 */
final class FaultActions {
    private static final long LEADER_WAIT_MILLIS = 3_000;

    private final ClusterControl cluster;
    private final BooleanSupplier stopping;

    /** @param stopping whether the nemesis is stopping, so waiting for a leader gives up at once */
    FaultActions(ClusterControl cluster, BooleanSupplier stopping) {
        this.cluster = cluster;
        this.stopping = stopping;
    }

    /**
     * Starts {@code fault}'s step (for {@code transfer-leader}, its first move).
     *
     * @return the realized targets, for the log and the record, e.g. {@code n2 cut from n1,n3}
     * @throws RuntimeException when the action could not be done; what was done before is registered for heal
     */
    String start(ActiveFault fault) {
        FaultStep step = fault.step();
        List<Member> members = cluster.members();
        return switch (step.kind()) {
            case MAJORITY_MINORITY -> {
                List<Member> order = order(step.picks(), members);
                yield cut(fault, order.subList(0, order.size() / 2), order.subList(order.size() / 2, order.size()));
            }
            case ISOLATE_LEADER -> {
                Member leader = leader();
                yield names(List.of(leader)) + " cut from " + cutOff(fault, leader, others(members, leader));
            }
            case BRIDGE -> bridge(fault, order(step.picks(), members));
            case RING -> ring(fault, order(step.picks(), members));
            case ONE_WAY -> oneWay(fault, step.amount() == 1, members);
            case DELAY, DROP -> links(fault, members);
            case KILL_LEADER -> kill(fault, List.of(leader()));
            case KILL_RANDOM -> kill(fault, List.of(pick(step.picks().get(0), members)));
            case KILL_MAJORITY -> kill(fault, order(step.picks(), members).subList(0, members.size() / 2 + 1));
            case PAUSE_LEADER -> pause(fault, leader());
            case PAUSE_RANDOM -> pause(fault, pick(step.picks().get(0), members));
            case REPLACE_MEMBER -> replace(fault, members);
            case TRANSFER_LEADER -> move(step, 0);
            case CLOCK_JUMP -> {
                Member target = pick(step.picks().get(0), members);
                cluster.clocks().jump(target, step.amount());
                fault.onHeal(() -> resetClock(target));
                yield String.format(java.util.Locale.ROOT, "%s clock %+.1fs", target.name(), step.amount() / 1000.0);
            }
            case ISOLATE_SLOW_LEADER -> {
                Member leader = leader();
                cluster.clocks().rate(leader, step.amount() / 1000.0);
                fault.onHeal(() -> resetClock(leader));
                String cut = cutOff(fault, leader, others(members, leader));
                yield String.format(java.util.Locale.ROOT, "%s clock x%.2f, cut from %s", leader.name(),
                        step.amount() / 1000.0, cut);
            }
            case CLOCK_DRIFT -> {
                Member target = pick(step.picks().get(0), members);
                cluster.clocks().rate(target, step.amount() / 1000.0);
                fault.onHeal(() -> resetClock(target));
                yield String.format(java.util.Locale.ROOT, "%s clock x%.2f", target.name(), step.amount() / 1000.0);
            }
        };
    }

    /**
     * Move {@code index} of a {@code transfer-leader} step: the leader hands over to a random other member.
     *
     * @return e.g. {@code n1 -> n3 accepted}
     */
    String move(FaultStep step, int index) {
        Member leader = leader();
        List<Member> others = others(cluster.members(), leader);
        if (others.isEmpty()) {
            throw new IllegalStateException("no other member to hand leadership to");
        }
        Member target = others.get(step.picks().get(index % step.picks().size()) % others.size());
        boolean accepted = cluster.moveLeader(target);
        return leader.name() + " -> " + target.name() + (accepted ? " accepted" : " refused");
    }

    private String cut(ActiveFault fault, List<Member> side, List<Member> otherSide) {
        Network network = cluster.network();
        registerNetworkHeal(fault);
        for (Member a : side) {
            for (Member b : otherSide) {
                network.block(a.name(), b.name());
                network.block(b.name(), a.name());
            }
        }
        return names(side) + " | " + names(otherSide);
    }

    private String cutOff(ActiveFault fault, Member member, List<Member> others) {
        cut(fault, List.of(member), others);
        return names(others);
    }

    private String bridge(ActiveFault fault, List<Member> order) {
        int half = (order.size() - 1) / 2;
        Member shared = order.get(half);
        List<Member> left = order.subList(0, half);
        List<Member> right = order.subList(half + 1, order.size());
        cut(fault, left, right);
        return names(left) + " | " + names(right) + " bridged by " + shared.name();
    }

    private String ring(ActiveFault fault, List<Member> order) {
        Network network = cluster.network();
        registerNetworkHeal(fault);
        int n = order.size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean neighbours = j == (i + 1) % n || i == (j + 1) % n;
                if (i != j && !neighbours) {
                    network.block(order.get(i).name(), order.get(j).name());
                }
            }
        }
        return "ring " + order.stream().map(Member::name).collect(Collectors.joining("-"));
    }

    private String oneWay(ActiveFault fault, boolean inbound, List<Member> members) {
        Member leader = leader();
        Network network = cluster.network();
        registerNetworkHeal(fault);
        for (Member other : others(members, leader)) {
            if (inbound) {
                network.block(other.name(), leader.name());
            } else {
                network.block(leader.name(), other.name());
            }
        }
        return leader.name() + (inbound ? " inbound" : " outbound") + " blocked";
    }

    private String links(ActiveFault fault, List<Member> members) {
        FaultStep step = fault.step();
        Network network = cluster.network();
        registerNetworkHeal(fault);
        List<String> hit = new ArrayList<>();
        for (int i = 0; i + 1 < step.picks().size(); i += 2) {
            Member from = pick(step.picks().get(i), members);
            Member to = pick(step.picks().get(i + 1), members);
            if (from.name().equals(to.name())) {
                continue; // the cluster shrank since the schedule was drawn
            }
            if (step.kind() == FaultKind.DELAY) {
                network.delay(from.name(), to.name(), step.amount());
            } else {
                network.drop(from.name(), to.name(), step.amount() / 100.0);
            }
            hit.add(from.name() + "->" + to.name());
        }
        String what = step.kind() == FaultKind.DELAY ? step.amount() + "ms" : step.amount() + "%";
        return what + " on " + String.join(" ", hit);
    }

    private String kill(ActiveFault fault, List<Member> victims) {
        for (Member victim : victims) {
            cluster.kill(victim);
            fault.onHeal(() -> {
                cluster.restart(victim);
                return "restarted " + victim.name();
            });
        }
        return "killed " + names(victims);
    }

    private String pause(ActiveFault fault, Member victim) {
        cluster.pause(victim);
        fault.onHeal(() -> {
            cluster.resume(victim);
            return "resumed " + victim.name();
        });
        return "paused " + victim.name();
    }

    /** One change at a time and never fewer than three members: shrink first only when there are more. */
    private String replace(ActiveFault fault, List<Member> members) {
        List<Member> down = members.stream().filter(m -> !m.alive() || m.paused()).toList();
        if (!down.isEmpty()) {
            // a change while a member is down could leave the new configuration without a quorum
            throw new IllegalStateException("not replacing a member while " + names(down) + " is down");
        }
        int pick = fault.step().picks().get(0);
        if (members.size() > 3) {
            Member victim = nonLeader(pick, members, Set.of());
            cluster.removeMember(victim);
            fault.onHeal(() -> "added " + cluster.addMember().name());
            return "removed " + victim.name();
        }
        Member added = cluster.addMember();
        fault.onHeal(() -> {
            Member victim = nonLeader(pick, cluster.members(), Set.of(added.name()));
            cluster.removeMember(victim);
            return "removed " + victim.name();
        });
        return "added " + added.name();
    }

    private Member nonLeader(int pick, List<Member> members, Set<String> excludedNames) {
        Member leader = leader();
        List<Member> candidates = others(members, leader).stream()
                .filter(m -> !excludedNames.contains(m.name()))
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no non-leader member to remove among " + names(members));
        }
        return candidates.get(pick % candidates.size());
    }

    private String resetClock(Member target) {
        cluster.clocks().reset(target);
        return "reset " + target.name() + "'s clock";
    }

    private void registerNetworkHeal(ActiveFault fault) {
        fault.onHeal(() -> {
            cluster.network().heal();
            return "network healed";
        });
    }

    /** Waits a little for a leader: right after a heal an election may still be running. */
    private Member leader() {
        long deadline = System.nanoTime() + LEADER_WAIT_MILLIS * 1_000_000;
        while (true) {
            var leader = cluster.leader();
            if (leader.isPresent()) {
                return leader.get();
            }
            if (stopping.getAsBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader to target (members " + names(cluster.members()) + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a leader", e);
            }
        }
    }

    private static Member pick(int index, List<Member> members) {
        return members.get(index % members.size());
    }

    /** The members in the step's order (indices modulo the size, first occurrence wins), then any it missed. */
    private static List<Member> order(List<Integer> picks, List<Member> members) {
        Set<String> seen = new LinkedHashSet<>();
        List<Member> ordered = new ArrayList<>();
        for (int index : picks) {
            Member member = pick(index, members);
            if (seen.add(member.name())) {
                ordered.add(member);
            }
        }
        for (Member member : members) {
            if (seen.add(member.name())) {
                ordered.add(member);
            }
        }
        return ordered;
    }

    private static List<Member> others(List<Member> members, Member excluded) {
        return members.stream().filter(m -> !m.name().equals(excluded.name())).toList();
    }

    private static String names(List<Member> members) {
        return members.stream().map(Member::name).collect(Collectors.joining(","));
    }
}
