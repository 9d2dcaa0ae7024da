package dev.keel.node.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's {@code --initial-cluster}: {@code name=peerURL[,name=peerURL...]}, a name may appear more than once
 * (one member with several peer URLs). Order of first appearance is kept.
 */
public final class InitialCluster {
    private final Map<String, List<String>> peerUrlsByName;

    private InitialCluster(Map<String, List<String>> peerUrlsByName) {
        this.peerUrlsByName = peerUrlsByName;
    }

    /** @throws IllegalArgumentException with a message naming the bad part */
    public static InitialCluster parse(String flag) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String part : flag.split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            // An empty name is allowed: `etcdctl member add` prints "=URL" for members that have not started yet.
            if (eq < 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("--initial-cluster: expected name=URL, got '" + item + "'");
            }
            String url = item.substring(eq + 1);
            Urls.parse(url, "--initial-cluster");
            byName.computeIfAbsent(item.substring(0, eq), k -> new ArrayList<>()).add(url);
        }
        return new InitialCluster(byName);
    }

    /** @return member names in the order they were given */
    public List<String> names() {
        return List.copyOf(peerUrlsByName.keySet());
    }

    /** @return the peer URLs of member {@code name}, or an empty list */
    public List<String> peerUrls(String name) {
        return Collections.unmodifiableList(peerUrlsByName.getOrDefault(name, List.of()));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        peerUrlsByName.forEach((name, urls) -> urls.forEach(u -> s.append(s.length() == 0 ? "" : ",")
                .append(name).append('=').append(u)));
        return s.toString();
    }
}
