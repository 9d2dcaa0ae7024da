package dev.keel.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keel-bench's flags: etcd's spellings, defaults, and one clear line for each mistake. */
class LoadFlagsTest {
    @Test
    void flagsParseInBothSpellings() {
        LoadOptions o = LoadFlags.parse(new String[] {"range", "--endpoints=http://a:1,b:2", "--clients", "64",
                "--conns=4", "--consistency", "s", "--total", "1000", "--warmup", "500ms", "--rate", "250.5",
                "--format", "json", "--to-leader"});
        assertEquals(Workload.RANGE, o.workload());
        assertEquals(List.of("a:1", "b:2"), o.endpoints());
        assertEquals(64, o.clients());
        assertEquals(4, o.conns());
        assertTrue(o.serializable());
        assertEquals(1000, o.total());
        assertEquals(null, o.duration());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(250.5, o.rate());
        assertTrue(o.json() && o.toLeader());
        assertEquals(Duration.ofSeconds(10), LoadFlags.parse(new String[] {"put"}).duration());
        LoadOptions flagsFirst = LoadFlags.parse(new String[] {"--endpoints", "h:1", "--to-leader", "watch",
                "--watchers", "7"});
        assertEquals(Workload.WATCH, flagsFirst.workload());
        assertEquals(7, flagsFirst.watchers());
        assertTrue(flagsFirst.toLeader());
    }

    @Test
    void mistakesSayWhatIsWrong() {
        assertEquals("name a workload: put, range, txn-cas, watch, lease-keepalive, mixed", message());
        assertEquals("name a workload: put, range, txn-cas, watch, lease-keepalive, mixed", message("--clients", "2"));
        assertTrue(message("put", "range").contains("unexpected argument 'range'"));
        assertTrue(message("get").contains("unknown workload 'get'"));
        assertTrue(message("put", "--clients", "0").contains("--clients must be 1..100000"));
        assertTrue(message("put", "--clients", "many").contains("whole number"));
        assertTrue(message("put", "--duration", "5", "--total", "10").contains("not both"));
        assertTrue(message("put", "--consistency", "x").contains("l or s"));
        assertTrue(message("put", "--endpoints", "nohost").contains("host:port"));
        assertTrue(message("put", "--bogus", "1").contains("unknown flag --bogus"));
        assertTrue(message("put", "--rate").contains("needs a value"));
        assertTrue(message("mixed", "--read-ratio", "2").contains("0..1"));
        assertTrue(message("watch", "--val-size", "4").contains("--val-size >= 8"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> LoadFlags.parse(args)).getMessage();
    }
}
