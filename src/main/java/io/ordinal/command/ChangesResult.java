package io.ordinal.command;

import java.util.List;

/**
 * A replica's answer to {@link Query.Changes}.
 *
 * @param changes        the matching changes, in revision order (all changes of one revision together)
 * @param nextRevision   where the next poll starts (with {@code nextSeq}): past every change this answer
 *                       looked at, so that changes that matched nothing are not looked at again
 * @param nextSeq        the first change of {@code nextRevision} not looked at yet (0 but when an answer
 *                       stopped inside a revision with very many changes)
 * @param revision       the replica's current revision
 * @param oldestRevision the oldest revision its history holds; when {@code compacted}, the asked
 *                       revision is older than that and nothing else is answered
 */
public record ChangesResult(List<Change> changes, long nextRevision, int nextSeq, long revision, long oldestRevision,
                            boolean compacted) {

    public ChangesResult {
        changes = List.copyOf(changes);
    }
}
