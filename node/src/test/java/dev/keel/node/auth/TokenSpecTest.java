package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenSpecTest {
    @Test
    void simpleIsTheDefault() {
        assertEquals(TokenSpec.SIMPLE, TokenSpec.parse("simple"));
        assertFalse(TokenSpec.SIMPLE.isJwt());
    }

    @Test
    void jwtOptionsAreParsed() {
        TokenSpec s = TokenSpec.parse("jwt,pub-key=/k.pub,priv-key=/k.pem,sign-method=RS256,ttl=10m");
        assertTrue(s.isJwt());
        assertEquals(Map.of("pub-key", "/k.pub", "priv-key", "/k.pem", "sign-method", "RS256", "ttl", "10m"),
                s.options());
    }

    @Test
    void malformedValuesGetEtcdsErrors() {
        assertEquals("auth: invalid auth options", message("bogus"));
        assertEquals("auth: invalid auth options", message("jwt,sign-method"));
        assertEquals("auth: invalid auth options", message("jwt,ttl=1m,ttl=2m"));
        assertEquals("unknown token specific option: colour", message("jwt,sign-method=RS256,colour=red"));
        assertEquals("auth: invalid auth signature method", message("jwt,pub-key=/k"));
        assertEquals("auth: invalid auth signature method", message("jwt,sign-method=XX999"));
    }

    private static String message(String flag) {
        return assertThrows(IllegalArgumentException.class, () -> TokenSpec.parse(flag)).getMessage();
    }
}
