package dev.keel.harness.cluster;

/** The {@link ClockControl} of a cluster whose members run on the machine's clock: every fault is refused. */
final class UnsupportedClocks implements ClockControl {
    private final String reason;

    UnsupportedClocks(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean supported() {
        return false;
    }

    @Override
    public String unsupportedReason() {
        return reason;
    }

    @Override
    public void jump(Member member, long millis) {
        throw refused();
    }

    @Override
    public void rate(Member member, double rate) {
        throw refused();
    }

    @Override
    public void reset(Member member) {
        throw refused();
    }

    private UnsupportedOperationException refused() {
        return new UnsupportedOperationException("clock faults are not available: " + reason);
    }
}
