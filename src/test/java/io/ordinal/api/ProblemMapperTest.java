package io.ordinal.api;

import io.ordinal.client.ReplicaFailedException;
import io.ordinal.client.UnavailableException;
import io.ordinal.storage.StorageException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The mappings a single all-in-one node cannot provoke over HTTP. */
class ProblemMapperTest {

    /** What a Ratis failure can carry: class names, an Error, a group id. */
    private static final UnavailableException INTERNAL = new UnavailableException(
            "the cluster could not answer: org.apache.ratis.client.impl.SlidingWindow$Client closed, group-63C7D7E18E94",
            new OutOfMemoryError("Java heap space"));

    @Test
    void noQuorumForAWriteIs503WithRetryAfterAndAnUnknownOutcome() {
        for (String method : new String[] {"PUT", "DELETE"}) {
            Response r = ProblemMapper.problem(new UnavailableException("no answer within 5000 ms", null), method).response();
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
            assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
            assertThat(body(r)).containsEntry("status", 503).containsKeys("type", "title", "detail");
            assertThat(detail(r)).contains("may or may not have been applied");
        }
    }

    @Test
    void noQuorumForAReadIs503WithRetryAfterAndSaysNothingOfWrites() {
        for (String method : new String[] {"GET", "HEAD"}) {
            Response r = ProblemMapper.problem(new UnavailableException("no answer within 5000 ms", null), method).response();
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
            assertThat(detail(r)).contains("retry").doesNotContain("write").doesNotContain("applied");
        }
    }

    @Test
    void aRefusedCredentialIs401WithABearerChallengeAndARefusedRequest403NamingWhatIsMissing() {
        Response unauthenticated = ProblemMapper.problem(new io.ordinal.security.AuthenticationException("expired"), "GET")
                .response();
        assertThat(unauthenticated.getStatus()).isEqualTo(401);
        assertThat(unauthenticated.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(body(unauthenticated)).containsEntry("type", "urn:ordinal:problem:unauthenticated");
        Response forbidden = ProblemMapper.problem(new CompletionException(new io.ordinal.security.ForbiddenException(
                "no", Map.of("access", "read", "key", "a"))), "GET").response();
        assertThat(forbidden.getStatus()).isEqualTo(403);
        assertThat(body(forbidden)).containsEntry("type", "urn:ordinal:problem:forbidden")
                .containsEntry("missing", Map.of("access", "read", "key", "a"));
    }

    @Test
    void aProblemNeverCarriesInternalExceptionText() {
        for (Response r : new Response[] {ProblemMapper.problem(INTERNAL, "PUT").response(),
                ProblemMapper.problem(INTERNAL, "GET").response(),
                ProblemMapper.problem(new IllegalStateException(INTERNAL.getMessage(), INTERNAL), "GET").response()}) {
            assertThat(detail(r)).doesNotContain("SlidingWindow").doesNotContain("ratis")
                    .doesNotContain("OutOfMemoryError").doesNotContain("group-").doesNotContain("Exception");
        }
    }

    @Test
    void ourOwnFailuresAre500ProblemsNotStackTraces() {
        Response r = ProblemMapper.problem(new IllegalStateException("boom"), "GET").response();
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(detail(r)).doesNotContain("boom");
    }

    @Test
    void aReplicasOrItsStoresFailureIsOurs500WithoutItsText() {
        for (RuntimeException failure : new RuntimeException[] {
                new ReplicaFailedException("a replica failed to read its history: StateMachineException", null),
                new StorageException("cannot read: IOError(NoSpaceLeft)", null)}) {
            for (String method : new String[] {"GET", "PUT"}) {
                Response r = ProblemMapper.problem(new CompletionException(failure), method).response();
                assertThat(r.getStatus()).isEqualTo(500);
                assertThat(r.getHeaderString("Retry-After")).isNull();
                assertThat(body(r)).containsEntry("type", "urn:ordinal:problem:internal");
                assertThat(detail(r)).doesNotContain("StateMachineException").doesNotContain("IOError");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Response r) {
        return (Map<String, Object>) r.getEntity();
    }

    private static String detail(Response r) {
        return (String) body(r).get("detail");
    }
}
