package dev.keel.node.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parsed {@code --auth-token} flag, with etcd 3.4's grammar and errors ({@code auth/store.go} decomposeOpts,
 * {@code auth/options.go}): {@code simple}, or {@code jwt,pub-key=PATH,priv-key=PATH,sign-method=RS256,ttl=5m}.
 *
 * @param type    {@code simple} or {@code jwt}
 * @param options the {@code key=value} options after the type (empty for simple)
 */
public record TokenSpec(String type, Map<String, String> options) {
    /** etcd's ErrInvalidAuthOpts text. */
    public static final String INVALID_OPTS = "auth: invalid auth options";
    /** etcd's ErrInvalidAuthMethod text. */
    public static final String INVALID_METHOD = "auth: invalid auth signature method";
    private static final Set<String> JWT_OPTIONS = Set.of("sign-method", "pub-key", "priv-key", "ttl");

    /** The spec etcd runs with when the flag is absent. */
    public static final TokenSpec SIMPLE = new TokenSpec("simple", Map.of());

    /** Copies the options so the record is immutable. */
    public TokenSpec {
        options = Map.copyOf(options);
    }

    /**
     * Parses the flag value.
     *
     * @throws IllegalArgumentException with etcd's text for a malformed value, an unknown type or option
     */
    public static TokenSpec parse(String flag) {
        String[] parts = flag.split(",", -1);
        String type = parts[0];
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", -1);
            if (kv.length != 2 || opts.putIfAbsent(kv[0], kv[1]) != null) {
                throw new IllegalArgumentException(INVALID_OPTS);
            }
        }
        switch (type) {
            case "simple" -> {
                return new TokenSpec(type, opts);
            }
            case "jwt" -> {
                for (String k : opts.keySet()) {
                    if (!JWT_OPTIONS.contains(k)) {
                        throw new IllegalArgumentException("unknown token specific option: " + k);
                    }
                }
                // etcd: "signing method is a required field".
                if (!JwtTokens.supports(opts.getOrDefault("sign-method", ""))) {
                    throw new IllegalArgumentException(INVALID_METHOD);
                }
                return new TokenSpec(type, opts);
            }
            default -> throw new IllegalArgumentException(INVALID_OPTS);
        }
    }

    /** @return true for {@code jwt}, false for {@code simple} */
    public boolean isJwt() {
        return type.equals("jwt");
    }
}
