package io.ordinal.security;

import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The audit log: one JSON line on the logger {@code io.ordinal.audit} per request answered {@code 401}
 * or {@code 403} and per change under {@code /v1/auth/*}: when, who ({@code anonymous} when no
 * credential was accepted), the method, the path and the status. Never a credential: paths carry
 * token ids, which are public, and no header or body is logged.
 */
public final class AuditLog {

    public static final String LOGGER = "io.ordinal.audit";
    public static final String ANONYMOUS = "anonymous";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    private AuditLog() {
    }

    public static void record(String subject, String method, String path, int status) {
        LOG.info(new JsonObject()
                .put("time", Instant.now().toString())
                .put("subject", subject == null ? ANONYMOUS : subject)
                .put("method", method)
                .put("path", path)
                .put("status", status)
                .encode());
    }
}
