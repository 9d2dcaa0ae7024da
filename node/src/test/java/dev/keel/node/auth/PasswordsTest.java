package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "bcrypt-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void hashIsGoCompatibleBcryptAtEtcdsCostAndVerifies() throws Exception {
        Passwords p = new Passwords(pool, new SecureRandom(), Passwords.ETCD_COST);
        byte[] hash = p.hash("s3cret").get();
        String text = new String(hash, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("$2a$10$") && text.length() == 60, text);
        assertTrue(p.verify("s3cret", hash).get());
        assertFalse(p.verify("wrong", hash).get());
        assertNotEquals(text, new String(p.hash("s3cret").get(), StandardCharsets.US_ASCII), "salted");
    }

    @Test
    void hashingAndVerifyingRunOnThePool() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        Passwords p = new Passwords(r -> {
            tasks.incrementAndGet();
            pool.execute(r);
        }, new SecureRandom(), 4);
        byte[] hash = p.hash("x").get();
        p.verify("x", hash).get();
        assertEquals(2, tasks.get());
    }

    @Test
    void verifiesTheStandardBcryptVector() throws Exception {
        Passwords p = new Passwords(pool, new SecureRandom(), 4);
        // The OpenBSD/Go test vector for "U*U": hashes written by other bcrypt implementations verify.
        byte[] vector = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW".getBytes(StandardCharsets.US_ASCII);
        assertTrue(p.verify("U*U", vector).get());
        assertFalse(p.verify("U*V", vector).get());
    }

    @Test
    void unknownUserOrMalformedHashNeverMatches() throws Exception {
        Passwords p = new Passwords(pool, new SecureRandom(), 4);
        assertFalse(p.verify("anything", null).get());
        assertFalse(p.verify("anything", new byte[0]).get());
        assertFalse(p.verify("anything", "not-a-bcrypt-hash".getBytes(StandardCharsets.US_ASCII)).get());
    }
}
