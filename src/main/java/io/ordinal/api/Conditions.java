package io.ordinal.api;

import io.ordinal.command.Precondition;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP conditional requests (RFC 9110 §13) as preconditions for the state machine. An entity tag is
 * a key's modRevision in quotes: {@code "42"}.
 */
final class Conditions {

    private static final Pattern STRONG_TAG = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern REVISION = Pattern.compile("[1-9][0-9]{0,18}");

    private Conditions() {
    }

    static EntityTag etag(long revision) {
        return new EntityTag(Long.toString(revision));
    }

    static Precondition forPut(HttpHeaders headers) {
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        String ifNoneMatch = headers.getHeaderString(HttpHeaders.IF_NONE_MATCH);
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

    static Precondition forDelete(HttpHeaders headers) {
        if (headers.getHeaderString(HttpHeaders.IF_NONE_MATCH) != null) {
            throw ApiException.badRequest("bad-condition", "If-None-Match is not supported on DELETE; use If-Match");
        }
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        return ifMatch == null ? Precondition.NONE : ifMatch(ifMatch);
    }

    /**
     * {@code *} means "exists"; {@code "N"} means "modRevision is N". A quoted tag that is not a
     * revision can never match (412); anything that is not an entity tag at all is a 400.
     */
    private static Precondition ifMatch(String header) {
        String value = header.trim();
        if (value.equals("*")) {
            return Precondition.EXISTS;
        }
        if (value.startsWith("W/")) {
            throw ApiException.badRequest("bad-condition",
                    "If-Match uses strong comparison: a weak entity tag (W/\"…\") can never match; send \"N\"");
        }
        Matcher m = STRONG_TAG.matcher(value);
        if (!m.matches()) {
            throw ApiException.badRequest("bad-condition",
                    "If-Match must be one entity tag, a revision in double quotes such as \"42\", or *; got: " + value);
        }
        String tag = m.group(1);
        return Precondition.modRevisionIs(REVISION.matcher(tag).matches() ? Long.parseLong(tag) : -1);
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
