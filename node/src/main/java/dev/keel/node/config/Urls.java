package dev.keel.node.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** etcd's URL flags: comma-separated {@code http://host:port} or {@code https://host:port} lists. */
public final class Urls {
    private Urls() {
    }

    /** @return the URLs of a comma-separated list, each checked */
    public static List<String> list(String flag, String flagName) {
        List<String> out = new ArrayList<>();
        for (String s : flag.split(",")) {
            String url = s.trim();
            if (!url.isEmpty()) {
                parse(url, flagName);
                out.add(url);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(flagName + ": no URL given");
        }
        return out;
    }

    /** @return the socket address of {@code url}; a clear error for anything Keel cannot listen on or dial */
    public static InetSocketAddress parse(String url, String flagName) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flagName + ": '" + url + "' is not a URL");
        }
        boolean known = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!known || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(flagName + ": '" + url + "' must look like http://host:port or "
                    + "https://host:port");
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }
}
