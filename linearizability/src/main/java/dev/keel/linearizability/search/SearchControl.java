package dev.keel.linearizability.search;

/** Lets the checker stop a running search: budget exhausted, or another part already failed. */
interface SearchControl {
    /**
     * Called every so often by a search.
     *
     * @param newCacheBytes bytes the search's cache grew by since the last call
     * @return why the search must stop now, or {@code null} to go on
     */
    String stopReason(long newCacheBytes);
}
