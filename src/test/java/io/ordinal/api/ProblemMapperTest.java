package io.ordinal.api;

import io.ordinal.frontend.UnavailableException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The mappings a single all-in-one node cannot provoke over HTTP. */
class ProblemMapperTest {

    @Test
    void noQuorumWithinTheDeadlineIs503WithRetryAfter() {
        Response r = new ProblemMapper().unavailable(new UnavailableException("no answer within 5000 ms", null));
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.getEntity();
        assertThat(body).containsEntry("status", 503).containsKeys("type", "title", "detail");
        assertThat((String) body.get("detail")).contains("may or may not have been applied");
    }

    @Test
    void ourOwnFailuresAre500ProblemsNotStackTraces() {
        Response r = new ProblemMapper().unexpected(new IllegalStateException("boom"));
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
    }
}
