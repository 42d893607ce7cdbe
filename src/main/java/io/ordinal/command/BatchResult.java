package io.ordinal.command;

import java.util.List;

/** The results of a {@link Command.Batch}'s writes, in the batch's order. */
public record BatchResult(List<WriteResult> results) implements CommandResult {
    public BatchResult {
        results = List.copyOf(results);
    }
}
