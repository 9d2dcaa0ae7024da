package dev.keel.harness.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkRulesTest {
    @Test
    void aBlockIsOneWay() {
        LinkRules rules = new LinkRules(1);
        rules.block("n1", "n2");
        assertTrue(rules.verdict("n1", "n2").drop());
        assertEquals(LinkRules.Verdict.PASS, rules.verdict("n2", "n1"));
        assertEquals(LinkRules.Verdict.PASS, rules.verdict("n1", "n3"));
        assertEquals("n1->n2 blocked", rules.describe());
    }

    @Test
    void delaysAndDropsCombineAndHealClearsEverything() {
        LinkRules rules = new LinkRules(1);
        rules.delay("n3", "n1", 200);
        assertEquals(new LinkRules.Verdict(false, 200), rules.verdict("n3", "n1"));
        rules.drop("n3", "n1", 1.0);
        assertTrue(rules.verdict("n3", "n1").drop());
        rules.block("n1", "n2");
        assertEquals("n1->n2 blocked, n3->n1 drop 100% delay 200ms", rules.describe());
        rules.heal();
        assertEquals("healed", rules.describe());
        assertEquals(LinkRules.Verdict.PASS, rules.verdict("n3", "n1"));
        assertEquals(LinkRules.Verdict.PASS, rules.verdict("n1", "n2"));
    }

    @Test
    void undoingTheOnlyFaultOfALinkForgetsIt() {
        LinkRules rules = new LinkRules(1);
        rules.delay("n1", "n2", 50);
        rules.delay("n1", "n2", 0);
        assertEquals("healed", rules.describe());
    }

    @Test
    void aShareOfFramesIsDroppedReproduciblyBySeed() {
        LinkRules first = new LinkRules(42);
        LinkRules second = new LinkRules(42);
        first.drop("n1", "n2", 0.3);
        second.drop("n1", "n2", 0.3);
        int dropped = 0;
        for (int i = 0; i < 2000; i++) {
            boolean drop = first.verdict("n1", "n2").drop();
            assertEquals(drop, second.verdict("n1", "n2").drop());
            dropped += drop ? 1 : 0;
        }
        assertTrue(dropped > 500 && dropped < 700, "dropped " + dropped + " of 2000 at 30%");
        assertEquals(dropped, first.dropped("n1", "n2"));
        first.heal();
        assertEquals(dropped, first.dropped("n1", "n2"), "the count outlives the fault");
    }

    @Test
    void badRulesAreRefused() {
        LinkRules rules = new LinkRules(1);
        assertThrows(IllegalArgumentException.class, () -> rules.block("n1", "n1"));
        assertThrows(IllegalArgumentException.class, () -> rules.block("", "n1"));
        assertThrows(IllegalArgumentException.class, () -> rules.drop("n1", "n2", 1.5));
        assertThrows(IllegalArgumentException.class, () -> rules.drop("n1", "n2", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> rules.delay("n1", "n2", -1));
    }
}
