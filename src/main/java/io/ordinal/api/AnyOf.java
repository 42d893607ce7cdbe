package io.ordinal.api;

import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.frontend.KvClient;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A write under a condition with alternatives ({@code If-Match: "5", "9"}), applied if any holds.
 * The state machine decides one precondition per write, atomically, in log order; so the write is sent
 * under one alternative at a time, and sent again only when the attempt failed and the key's
 * modRevision it reported (read in the same atomic step) satisfies another alternative:
 * <ul>
 *   <li>an applied attempt was checked atomically with the write, under an alternative that held;</li>
 *   <li>a 412 is answered only for a failed attempt whose key state satisfies no alternative at all,
 *       so the condition was false at that point in the log;</li>
 *   <li>an attempt is sent only after the previous one was decided (failed): at most one can apply,
 *       and none is a retry of another, so no success is ever answered as a 412;</li>
 *   <li>it ends: a key's modRevision only grows (a recreated key gets a new, higher revision), so each
 *       attempt after the first targets a higher listed revision than the one before.</li>
 * </ul>
 * Every attempt that fails still takes a Raft log entry, as any failed conditional write does.
 */
final class AnyOf {

    private AnyOf() {
    }

    /**
     * @param alternatives at least one; several only of the kind {@code MOD_REVISION_IS}, likeliest first
     * @param command      the write under a given precondition
     */
    static CompletionStage<WriteResult> write(KvClient client, List<Precondition> alternatives,
                                              Function<Precondition, Command> command) {
        return attempt(client, alternatives, command, alternatives.get(0), alternatives.size() + 1);
    }

    private static CompletionStage<WriteResult> attempt(KvClient client, List<Precondition> alternatives,
                                                        Function<Precondition, Command> command,
                                                        Precondition precondition, int attemptsLeft) {
        return client.write(command.apply(precondition)).thenCompose(result -> {
            if (result.outcome() != WriteResult.Outcome.PRECONDITION_FAILED) {
                return CompletableFuture.completedFuture(result);
            }
            long current = result.previousRevision();
            boolean another = alternatives.stream().anyMatch(p -> p.holds(current));
            if (!another) {
                return CompletableFuture.completedFuture(result);
            }
            if (attemptsLeft <= 1) {
                throw new IllegalStateException("a key's modRevision went backwards: If-Match alternatives "
                        + alternatives + " kept holding, now at " + current);
            }
            return attempt(client, alternatives, command, Precondition.modRevisionIs(current), attemptsLeft - 1);
        });
    }
}
