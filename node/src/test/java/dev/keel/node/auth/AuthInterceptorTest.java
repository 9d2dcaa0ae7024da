package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.KVGrpc;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthInterceptorTest {
    private final AtomicLong now = new AtomicLong();
    private final SimpleTokens tokens = new SimpleTokens(now::get, 1000, new java.security.SecureRandom());
    private final AtomicBoolean enabled = new AtomicBoolean(true);
    private final AuthInterceptor interceptor = new AuthInterceptor(enabled::get, () -> 9, tokens, true);

    /** What a call saw: the status it was closed with, or the user and revision its handler ran with. */
    private static final class Seen {
        Status closed;
        String user;
        Long revision;
        boolean handled;
    }

    @Test
    void validTokenPutsUserAndRevisionInTheContext() {
        String token = "abcdefghijklmnop.11";
        tokens.assigned("alice", token, 4);
        Seen seen = call(KVGrpc.getRangeMethod(), AuthInterceptor.TOKEN, token);
        assertEquals("alice", seen.user);
        assertEquals(4L, seen.revision);
        assertNull(seen.closed);
    }

    @Test
    void gatewayAuthorizationHeaderIsAcceptedLikeEtcds() {
        String token = "abcdefghijklmnop.11";
        tokens.assigned("alice", token, 4);
        assertEquals("alice", call(KVGrpc.getPutMethod(), AuthInterceptor.AUTHORIZATION, token).user);
    }

    @Test
    void unknownOrExpiredTokenFailsWithEtcdsInvalidAuthToken() {
        String token = "abcdefghijklmnop.11";
        tokens.assigned("alice", token, 4);
        now.addAndGet(1000);
        Seen seen = call(KVGrpc.getRangeMethod(), AuthInterceptor.TOKEN, token);
        assertEquals(Status.Code.UNAUTHENTICATED, seen.closed.getCode());
        assertEquals("etcdserver: invalid auth token", seen.closed.getDescription());
        assertEquals(false, seen.handled);
    }

    @Test
    void authenticateIgnoresAStaleToken() {
        Seen seen = call(AuthGrpc.getAuthenticateMethod(), AuthInterceptor.TOKEN, "stale.1");
        assertEquals(true, seen.handled);
        assertEquals("", seen.user);
    }

    @Test
    void tokensAreIgnoredWhileAuthIsDisabled() {
        enabled.set(false);
        Seen seen = call(KVGrpc.getRangeMethod(), AuthInterceptor.TOKEN, "garbage");
        assertEquals(true, seen.handled);
        assertEquals("", seen.user);
    }

    @Test
    void noTokenAndNoCertificateLeavesNoUser() {
        Seen seen = call(KVGrpc.getRangeMethod(), null, null);
        assertEquals(true, seen.handled);
        assertEquals("", seen.user);
        assertNull(seen.revision);
    }

    @Test
    void commonNameOfAMissingSessionIsEmpty() {
        assertEquals(java.util.Optional.empty(), AuthInterceptor.commonName(null));
    }

    private <Q, R> Seen call(MethodDescriptor<Q, R> method, Metadata.Key<String> key, String value) {
        Seen seen = new Seen();
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(key, value);
        }
        ServerCall<Q, R> call = new ServerCall<>() {
            @Override
            public void request(int numMessages) {
            }

            @Override
            public void sendHeaders(Metadata h) {
            }

            @Override
            public void sendMessage(R message) {
            }

            @Override
            public void close(Status status, Metadata trailers) {
                seen.closed = status;
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public Attributes getAttributes() {
                return Attributes.EMPTY;
            }

            @Override
            public MethodDescriptor<Q, R> getMethodDescriptor() {
                return method;
            }
        };
        ServerCall.Listener<Q> listener = interceptor.interceptCall(call, headers, (c, h) -> {
            seen.handled = true;
            seen.user = CallerIdentity.user();
            seen.revision = AuthInterceptor.REVISION.get();
            return new ServerCall.Listener<>() {
            };
        });
        listener.onHalfClose();
        return seen;
    }
}
