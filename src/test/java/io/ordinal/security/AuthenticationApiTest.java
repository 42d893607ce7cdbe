package io.ordinal.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.ordinal.security.SecureApi.anonymous;
import static io.ordinal.security.SecureApi.as;
import static io.ordinal.security.SecureApi.asRoot;
import static io.ordinal.security.SecureApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every way a credential can be wrong is a 401 problem with {@code WWW-Authenticate: Bearer} and
 * nothing read or written; health and the dashboard's page need none; the audit log has a line per
 * 401, 403 and change of the access records, and never a token.
 */
@QuarkusTest
@TestProfile(SecureProfile.class)
class AuthenticationApiTest {

    private final List<String> audit = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            audit.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheAuditLog() {
        Logger.getLogger(AuditLog.LOGGER).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger(AuditLog.LOGGER).removeHandler(capture);
    }

    @Test
    void everyBadCredentialIsA401AndNothingIsWritten() {
        String key = "/v1/kv/" + unique("unwritten");
        String wellFormedUnknown = "fedcba9876543210." + "A".repeat(43);
        List<String> headers = List.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token " + SecureApi.ROOT,
                "Bearer " + wellFormedUnknown, "Bearer " + SecureApi.ROOT.substring(0, 40),
                "Bearer " + SecureApi.ROOT + "x", "Bearer abc$def", "Bearer " + "a".repeat(9000),
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer \u00e9t\u00e9");
        for (String header : headers) {
            var request = header.isEmpty() ? anonymous() : anonymous().header("Authorization", header);
            request.body("x").put(key).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .contentType("application/problem+json").body("type", equalTo("urn:ordinal:problem:unauthenticated"));
        }
        asRoot().get(key).then().statusCode(404);
    }

    @Test
    void aRefusedRequestWithABodyLeavesTheConnectionUsableOrClosesIt() throws Exception {
        String unknown = "fedcba9876543210." + "B".repeat(43); // looked up in the store: answered later
        try (java.net.Socket socket = SecureApi.rawConnection()) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("PUT /v1/kv/keep-alive HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + unknown
                    + "\r\nContent-Length: 5\r\n\r\nhello").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(("GET /v1/auth/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SecureApi.ROOT
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            socket.setSoTimeout(3_000); // then nothing more comes: what came is the answer
            var read = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            boolean closed = false;
            try {
                for (int n; (n = socket.getInputStream().read(chunk)) > 0; ) {
                    read.write(chunk, 0, n);
                }
                closed = true;
            } catch (java.net.SocketTimeoutException kept) {
                // the connection stays open
            }
            String answers = read.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answers).startsWith("HTTP/1.1 401");
            int next = answers.indexOf("HTTP/1.1", 5);
            if (!closed || next > 0) { // kept alive: the next request is answered, not mistaken for a body
                assertThat(next).as("the second answer on a kept connection: %s", answers).isPositive();
                assertThat(answers.substring(next)).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void twoAuthorizationHeadersAreRefused() {
        anonymous().header("Authorization", "Bearer " + SecureApi.ROOT).header("Authorization", "Bearer " + SecureApi.ROOT)
                .get("/v1/auth/whoami").then().statusCode(401);
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        anonymous().header("Authorization", "bearer " + SecureApi.ROOT).get("/v1/auth/whoami").then().statusCode(200);
    }

    @Test
    void everyApiPathNeedsATokenButHealthAndThePageDoNot() {
        for (String path : List.of("/v1/kv", "/v1/kv/a", "/v1/cluster", "/v1/watch?prefix=a", "/v1/auth/whoami",
                "/v1/lease/1", "/v1/dashboard/events", "/q/metrics", "/v1/nothing-here")) {
            anonymous().get(path).then().statusCode(401);
        }
        anonymous().get("/q/health/live").then().statusCode(200);
        anonymous().get("/").then().statusCode(200);
        anonymous().get("/q/health/../../v1/kv").then().statusCode(401);
    }

    @Test
    void refusalsAndChangesOfAccessAreAuditedWithoutTokens() {
        String token = SecureApi.token();
        anonymous().get("/v1/kv/audited").then().statusCode(401);
        as(token).get("/v1/kv/audited").then().statusCode(403);
        String role = unique("audited");
        SecureApi.role(role, Map.of("a/", "read"));
        asRoot().get("/v1/auth/roles/" + role).then().statusCode(200); // a read: not audited

        assertThat(audit).anySatisfy(line -> assertThat(line).contains("\"subject\":\"anonymous\"")
                .contains("\"method\":\"GET\"").contains("\"path\":\"/v1/kv/audited\"").contains("\"status\":401")
                .contains("\"time\":\""));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("\"subject\":\"token:" + token.substring(0, 16) + "\"")
                .contains("\"status\":403"));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("\"subject\":\"root\"")
                .contains("\"method\":\"PUT\"").contains("\"path\":\"/v1/auth/roles/" + role + "\"").contains("\"status\":201"));
        assertThat(audit).noneSatisfy(line -> assertThat(line).contains("/v1/auth/roles/" + role + "\"").contains("GET"));
        assertThat(audit).allSatisfy(line -> assertThat(line).doesNotContain(token.substring(17))
                .doesNotContain(SecureApi.ROOT.substring(17)));
    }
}
