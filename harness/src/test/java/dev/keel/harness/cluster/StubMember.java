package dev.keel.harness.cluster;

/**
 * A member for tests that need only its identity: always alive, never paused.
 *
 * @param name           its name
 * @param clientEndpoint its {@code host:port} (nothing listens there)
 */
public record StubMember(String name, String clientEndpoint) implements Member {
    @Override
    public boolean alive() {
        return true;
    }

    @Override
    public boolean paused() {
        return false;
    }
}
