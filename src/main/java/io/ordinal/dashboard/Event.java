package io.ordinal.dashboard;

/**
 * Something that happened to the cluster, as the page's event log and chart markers show it.
 *
 * @param at      when it was seen, milliseconds since the epoch
 * @param kind    {@code watch}, {@code leader}, {@code no-leader}, {@code left}, {@code rejoined},
 *                {@code restarted}, {@code snapshot}, {@code membership} or {@code drill}
 * @param pod     the pod it is about, or null
 * @param message one sentence for a person
 */
public record Event(long at, String kind, String pod, String message) {
}
