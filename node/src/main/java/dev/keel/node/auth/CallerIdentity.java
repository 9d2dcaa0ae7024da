package dev.keel.node.auth;

import io.grpc.Context;

/**
 * Who is calling: the user name an authentication interceptor found for the current gRPC call (from its
 * {@code token} metadata, or the CN of its verified client certificate), or empty when the call carries neither.
 * The services read it on the calling thread and put it in the request they hand to the kernel, which checks
 * permissions where the request executes.
 */
public final class CallerIdentity {
    /** The authenticated user of the current call; absent means none. */
    public static final Context.Key<String> USER = Context.key("keel-auth-user");

    private CallerIdentity() {
    }

    /** @return the current call's user name, or "" when it has none */
    public static String user() {
        String user = USER.get();
        return user == null ? "" : user;
    }
}
