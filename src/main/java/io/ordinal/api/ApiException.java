package io.ordinal.api;

import io.ordinal.command.Limits;
import io.ordinal.command.OrdinalException;

import java.util.Map;

/**
 * A request the API refuses, with the status and problem it answers (RFC 9457). Thrown only by the
 * HTTP layer; mapped to a response in {@link ProblemMapper}, the one place statuses are decided.
 */
public class ApiException extends OrdinalException {

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, Object> extensions;

    public ApiException(int status, String slug, String title, String detail, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.extensions = extensions;
    }

    public static ApiException badRequest(String slug, String detail) {
        return new ApiException(400, slug, "Bad Request", detail, Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not Found", detail, Map.of());
    }

    public static ApiException preconditionFailed(String detail, long currentRevision) {
        return new ApiException(412, "precondition-failed", "Precondition Failed", detail,
                Map.of("currentRevision", currentRevision));
    }

    public static ApiException tooLarge(String detail, int limit) {
        return new ApiException(413, "value-too-large", "Content Too Large", detail, Map.of("limit", limit));
    }

    public static ApiException leaseNotFound(long lease) {
        return new ApiException(404, "lease-not-found", "Not Found", "lease " + lease
                + " does not exist: it was never granted, or it was revoked or expired", Map.of("lease", lease));
    }

    /** A put would attach a key to a lease that holds the most keys a lease may (its revoke deletes them in one entry). */
    public static ApiException leaseFull(long lease) {
        return new ApiException(409, "lease-full", "Conflict", "lease " + lease + " already holds "
                + Limits.MAX_DELETED_KEYS + " keys, the most a lease may hold (its revoke or expiry deletes them all"
                + " in one step); nothing was written: attach the key to another lease",
                Map.of("lease", lease, "limit", Limits.MAX_DELETED_KEYS));
    }

    /** A transaction's deletePrefix operations would delete more keys than one entry may. */
    public static ApiException tooManyDeletions() {
        return new ApiException(413, "too-many-deletions", "Content Too Large", "the transaction's deletePrefix"
                + " operations would delete more than " + Limits.MAX_DELETED_KEYS + " keys, the most one write may"
                + " delete; nothing was written: delete them in parts (longer prefixes, or the keys of one listing"
                + " page at a time)", Map.of("limit", Limits.MAX_DELETED_KEYS));
    }

    /** A watch asked for revisions the history no longer holds: re-read, then watch from the oldest. */
    public static ApiException gone(long fromRevision, long oldestRevision) {
        return new ApiException(410, "revision-compacted", "Gone", "revision " + fromRevision
                + " is older than the history of changes, which starts at revision " + oldestRevision
                + "; read the current state again and watch from its revision + 1", Map.of("oldestRevision", oldestRevision));
    }

    /** A method the path does not answer; the answer names those it does in {@code Allow}. */
    public static ApiException methodNotAllowed(String method, String allowed) {
        return new ApiException(405, "method-not-allowed", "Method Not Allowed",
                method + " is not allowed here; allowed: " + allowed, Map.of());
    }

    /** What to answer. */
    Problem problem() {
        return new Problem(status, slug, title, getMessage(), extensions, Map.of());
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
