package io.ordinal.api;

import io.ordinal.command.Precondition;

import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * HTTP conditional requests (RFC 9110 §13) as preconditions for the state machine. An entity tag is
 * a key's modRevision in quotes: {@code "42"}.
 *
 * <p>{@code If-Match} may list several entity tags ({@code "1", "7"}, or the header repeated): the
 * condition holds when the key's modRevision is any of them, decided by the state machine in one step.
 */
final class Conditions {

    private static final Pattern REVISION = Pattern.compile("[1-9][0-9]{0,18}");

    private Conditions() {
    }

    /** The value of an {@code ETag} header: the revision in double quotes. */
    static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    /** {@code If-Match} or {@code If-None-Match: *} (each header's value, or null when absent). */
    static Precondition forPut(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw ApiException.badRequest("bad-condition", "use either If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw ApiException.badRequest("bad-condition",
                        "If-None-Match on a write must be * (create only if absent); use If-Match: \"N\" to compare a revision");
            }
            return Precondition.ABSENT;
        }
        return ifMatch == null ? Precondition.NONE : ifMatch(ifMatch);
    }

    /** {@code If-Match}; {@code If-None-Match} is refused. */
    static Precondition forDelete(String ifMatch, String ifNoneMatch) {
        if (ifNoneMatch != null) {
            throw ApiException.badRequest("bad-condition", "If-None-Match is not supported on DELETE; use If-Match");
        }
        return ifMatch == null ? Precondition.NONE : ifMatch(ifMatch);
    }

    /** {@code If-Match} on a read, checked against the modRevision read. */
    static Precondition forGet(String ifMatch) {
        return ifMatch == null ? Precondition.NONE : ifMatch(ifMatch);
    }

    /**
     * {@code *} means "exists"; a list of {@code "N"} means "modRevision is one of them". A quoted tag
     * that is not a revision can never match (412); a weak tag, {@code *} in a list, or anything that is
     * not an entity tag is a 400.
     */
    private static Precondition ifMatch(String header) {
        String value = header.trim();
        if (value.equals("*")) {
            return Precondition.EXISTS;
        }
        TreeSet<Long> revisions = new TreeSet<>();
        int tags = 0;
        int i = 0;
        int n = value.length();
        while (true) {
            // RFC 9110 §5.6.1: a list tolerates empty elements and whitespace around commas.
            while (i < n && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i == n) {
                break;
            }
            if (value.startsWith("W/", i)) {
                throw ApiException.badRequest("bad-condition",
                        "If-Match uses strong comparison: a weak entity tag (W/\"…\") can never match; send \"N\"");
            }
            if (value.charAt(i) == '*') {
                throw ApiException.badRequest("bad-condition",
                        "If-Match: * stands alone; it cannot be listed with entity tags; got: " + value);
            }
            int close = value.charAt(i) == '"' ? value.indexOf('"', i + 1) : -1;
            if (close < 0) {
                throw malformed(value);
            }
            String tag = value.substring(i + 1, close);
            tags++;
            if (REVISION.matcher(tag).matches()) {
                revisions.add(Long.parseLong(tag));
            }
            i = close + 1;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                throw malformed(value);
            }
        }
        if (tags == 0) {
            throw malformed(value);
        }
        return Precondition.modRevisionIn(revisions); // empty: can never hold
    }

    private static ApiException malformed(String value) {
        return ApiException.badRequest("bad-condition", "If-Match must be *, or one or more entity tags separated "
                + "by commas, each a revision in double quotes such as \"42\"; got: " + value);
    }

    /** For {@code If-None-Match} on a read: does any listed tag (or *) match the revision? */
    static boolean matchesAny(String header, long revision) {
        for (String part : header.split(",")) {
            String t = part.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals("\"" + revision + "\"")) {
                return true;
            }
        }
        return false;
    }

    static ApiException failed(String key, long currentRevision) {
        return ApiException.preconditionFailed(currentRevision == 0
                ? "the condition failed: key '" + key + "' does not exist"
                : "the condition failed: key '" + key + "' is at revision " + currentRevision, currentRevision);
    }
}
