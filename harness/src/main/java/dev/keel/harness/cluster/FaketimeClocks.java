package dev.keel.harness.cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * LOCAL STAND-IN, to be replaced on merge by the clock helper's real class (libfaketime preloaded per member,
 * with a control file each). It has the real one's constructor and {@link #environment}, gives members no
 * extra environment, and refuses every clock fault.
 */
public final class FaketimeClocks implements ClockControl {
    private final Path dir;

    /** @param dir the run's folder, where the real class keeps each member's control file */
    public FaketimeClocks(Path dir) {
        this.dir = dir;
    }

    /** @return the variables to add to {@code memberName}'s environment: none in this stand-in */
    public Map<String, String> environment(String memberName) {
        return Map.of();
    }

    @Override
    public boolean supported() {
        return false;
    }

    @Override
    public String unsupportedReason() {
        return "local stand-in for FaketimeClocks (the clock helper's class replaces it); folder " + dir;
    }

    @Override
    public void jump(Member member, long millis) {
        throw new UnsupportedOperationException(unsupportedReason());
    }

    @Override
    public void rate(Member member, double rate) {
        throw new UnsupportedOperationException(unsupportedReason());
    }

    @Override
    public void reset(Member member) {
        throw new UnsupportedOperationException(unsupportedReason());
    }
}
