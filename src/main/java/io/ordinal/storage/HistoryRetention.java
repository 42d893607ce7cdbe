package io.ordinal.storage;

/**
 * How much history of changes a store keeps for watches: the changes of at most {@code revisions}
 * revisions, and fewer once they hold more than {@code bytes} of keys and values (the newest
 * revision is always kept). Compaction happens while applying, in log order, under the retention the
 * log last set ({@code Command.SetHistoryRetention}), so every replica keeps exactly the same history
 * whatever its own configuration.
 */
public record HistoryRetention(long revisions, long bytes) {

    public static final HistoryRetention DEFAULT = new HistoryRetention(10_000, 256L * 1024 * 1024);

    public HistoryRetention {
        if (revisions < 1 || bytes < 1) {
            throw new IllegalArgumentException("the history must keep at least one revision and one byte");
        }
    }
}
