package io.ordinal.api;

import io.ordinal.client.Watcher.Position;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A watch event's SSE {@code id}, which a reconnecting client sends back as {@code Last-Event-ID}: the
 * place in the watch's stream just after that event. {@code N} once the watch has sent every change of
 * revision {@code N} it matches (a revision of one change, or the last of a transaction's); {@code N.I}
 * after the {@code I}-th (from 0) of them while more may follow, because a stream can break inside a
 * revision. Plain revisions are what ids were before, so an old client's {@code Last-Event-ID: N} still
 * means "every change of revision N was seen".
 */
final class EventIds {

    private static final Pattern ID = Pattern.compile("(\\d{1,18})(?:\\.(\\d{1,9}))?");

    private EventIds() {
    }

    static String of(Position after) {
        return after.seen() == 0
                ? Long.toString(after.revision() - 1)
                : after.revision() + "." + (after.seen() - 1);
    }

    /** Where a watch resumed with {@code Last-Event-ID: id} goes on; a 400 problem for what is not an id. */
    static Position resumeAfter(String id) {
        Matcher m = ID.matcher(id.trim());
        if (m.matches()) {
            long revision = Long.parseLong(m.group(1));
            if (m.group(2) == null) {
                return Position.at(revision + 1);
            }
            if (revision > 0) {
                return new Position(revision, Integer.parseInt(m.group(2)) + 1);
            }
        }
        throw ApiException.badRequest("bad-parameter", "Last-Event-ID must be an event's id: a revision N, or N.I "
                + "(the I-th change of revision N, from 0); got '" + id + "'");
    }
}
