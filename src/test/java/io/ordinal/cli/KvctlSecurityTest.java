package io.ordinal.cli;

import io.ordinal.local.SecureEndpoint;
import io.ordinal.security.tls.CertificateAuthority;
import io.ordinal.security.tls.HttpsStub;
import io.ordinal.security.tls.HttpsStub.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kvctl against a secure server (a loopback HTTPS stub with a certificate of the test's own CA):
 * {@code --cacert} and {@code --token}, what it says when TLS or the token fails, and the requests of
 * {@code kvctl auth …} as security-v1.md's table has them.
 */
class KvctlSecurityTest {

    private static final String TOKEN = "0123456789abcdef.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    @TempDir
    Path dir;
    private Path podDir;
    private Path caCrt;
    private Path tokenFile;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void certificates() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test CA", Duration.ofDays(1));
        podDir = dir.resolve("pod");
        ca.issue("kv-frontend-0", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), podDir);
        caCrt = podDir.resolve("ca.crt");
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    }

    private static Run kvctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Kvctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Run kvctlSecure(HttpsStub server, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoint", "https://127.0.0.1:" + server.port(),
                "--cacert", caCrt.toString(), "--token", tokenFile.toString()));
        all.addAll(List.of(args));
        return kvctl(all.toArray(String[]::new));
    }

    private HttpsStub server(Function<HttpsStub.Request, Answer> answers) throws Exception {
        return new HttpsStub(podDir, "127.0.0.1", answers);
    }

    @Test
    void theTokenGoesAsABearerTokenOverHttpsVerifiedAgainstCacert() throws Exception {
        try (HttpsStub server = server(r -> Answer.json(200,
                "{\"subject\":\"root\",\"roles\":[\"root\"],\"permissions\":[{\"prefix\":\"\",\"access\":\"readwrite\"}]}"))) {
            Run run = kvctlSecure(server, "auth", "whoami");

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("subject: root").contains("\"\"").contains("readwrite");
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.method() + " " + r.path()).isEqualTo("GET /v1/auth/whoami");
                assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
            });
        }
    }

    @Test
    void aServerCertificateOfAnotherCaIsRefusedSayingSo() throws Exception {
        Path otherCa = dir.resolve("other");
        CertificateAuthority.create("another CA", Duration.ofDays(1)).writeTo(Files.createDirectories(otherCa).resolve("ca.crt"),
                otherCa.resolve("ca.key"));
        try (HttpsStub server = server(HttpsStub::ok)) {
            Run run = kvctl("--endpoint", "https://127.0.0.1:" + server.port(), "--cacert", otherCa.resolve("ca.crt").toString(),
                    "get", "k");
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).contains("is not signed by --cacert " + otherCa.resolve("ca.crt"));

            Run noCa = kvctl("--endpoint", "https://127.0.0.1:" + server.port(), "get", "k");
            assertThat(noCa.status()).isEqualTo(1);
            assertThat(noCa.err()).contains("--cacert FILE or $KV_CACERT");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedSayingSo() throws Exception {
        try (HttpsStub server = new HttpsStub(podDir, "127.0.0.2", HttpsStub::ok)) {
            Run run = kvctl("--endpoint", "https://127.0.0.2:" + server.port(), "--cacert", caCrt.toString(), "get", "k");
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).contains("is not valid for the host of https://127.0.0.2:" + server.port());
        }
    }

    @Test
    void unauthorizedAndForbiddenSayWhatToDo() throws Exception {
        try (HttpsStub server = server(r -> r.path().endsWith("/secret")
                ? Answer.json(403, "{\"type\":\"urn:ordinal:problem:forbidden\",\"status\":403,\"detail\":\"needs read on secret\"}")
                : Answer.json(401, "{\"type\":\"urn:ordinal:problem:unauthorized\",\"status\":401,\"detail\":\"no valid token\"}"))) {
            Run unauthorized = kvctl("--endpoint", "https://127.0.0.1:" + server.port(), "--cacert", caCrt.toString(), "get", "k");
            assertThat(unauthorized.status()).isEqualTo(1);
            assertThat(unauthorized.err()).contains("401 unauthorized: no valid token").contains("--token FILE or $KV_TOKEN_FILE");
            assertThat(server.requests().get(0).authorization()).isNull();

            Run forbidden = kvctlSecure(server, "get", "secret");
            assertThat(forbidden.status()).isEqualTo(1);
            assertThat(forbidden.err()).contains("403 forbidden: needs read on secret").contains("kvctl auth whoami");
        }
    }

    @Test
    void aTokenFileThatIsMissingOrEmptyIsSaidSo() throws Exception {
        Run missing = kvctl("--endpoint", "https://127.0.0.1:1", "--token", dir.resolve("nothing").toString(), "get", "k");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read the token file " + dir.resolve("nothing"));

        Run empty = kvctl("--endpoint", "https://127.0.0.1:1", "--token", Files.writeString(dir.resolve("empty"), "\n").toString(),
                "get", "k");
        assertThat(empty.err()).contains("must hold one line");
    }

    @Test
    void rolesTokensAndBindingsAreTheContractsRequests() throws Exception {
        try (HttpsStub server = server(r -> switch (r.method() + " " + r.path()) {
            case "PUT /v1/auth/roles/app-reader" -> Answer.json(201, "{\"name\":\"app-reader\",\"permissions\":[]}");
            case "GET /v1/auth/roles" -> Answer.json(200,
                    "{\"items\":[{\"name\":\"app-reader\",\"permissions\":[{\"prefix\":\"app/\",\"access\":\"read\"}]}]}");
            case "POST /v1/auth/tokens" -> Answer.json(201, "{\"id\":\"00000000000000aa\",\"token\":\"" + TOKEN
                    + "\",\"roles\":[\"app-reader\"],\"description\":\"ci\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}");
            case "GET /v1/auth/tokens" -> Answer.json(200,
                    "{\"items\":[{\"id\":\"00000000000000aa\",\"roles\":[\"app-reader\"],\"description\":\"ci\",\"expiresAt\":null}]}");
            case "PUT /v1/auth/bindings/team-a-api" -> Answer.json(200,
                    "{\"name\":\"team-a-api\",\"subject\":\"system:serviceaccount:team-a:api\",\"roles\":[\"app-reader\"]}");
            case "DELETE /v1/auth/tokens/00000000000000aa", "DELETE /v1/auth/roles/app-reader",
                    "DELETE /v1/auth/bindings/team-a-api" -> new Answer(204, "", "");
            default -> Answer.json(404, "{\"type\":\"urn:ordinal:problem:not-found\",\"status\":404,\"detail\":\"no\"}");
        })) {
            assertThat(kvctlSecure(server, "auth", "role", "put", "app-reader", "--read", "app/", "--readwrite", "").out())
                    .contains("role app-reader created");
            assertThat(kvctlSecure(server, "auth", "role", "list").out()).contains("app-reader").contains("\"app/\"=read");
            Run created = kvctlSecure(server, "auth", "token", "create", "--role", "app-reader", "--description", "ci",
                    "--ttl", "3600");
            assertThat(created.out()).contains("00000000000000aa").contains("token: " + TOKEN);
            assertThat(kvctlSecure(server, "auth", "token", "list").out()).contains("00000000000000aa").contains("never")
                    .doesNotContain(TOKEN);
            assertThat(kvctlSecure(server, "auth", "token", "revoke", "00000000000000aa").out()).contains("revoked");
            assertThat(kvctlSecure(server, "auth", "binding", "put", "team-a-api", "--subject",
                    "system:serviceaccount:team-a:api", "--role", "app-reader").out()).contains("binding team-a-api replaced");
            assertThat(kvctlSecure(server, "auth", "binding", "delete", "team-a-api").status()).isZero();
            Run unknown = kvctlSecure(server, "auth", "role", "get", "nobody");
            assertThat(unknown.status()).isEqualTo(1);
            assertThat(unknown.err()).contains("404");

            assertThat(server.requests()).extracting(r -> r.method() + " " + r.path() + " " + r.body()).startsWith(
                    "PUT /v1/auth/roles/app-reader {\"permissions\":[{\"prefix\":\"app/\",\"access\":\"read\"},"
                            + "{\"prefix\":\"\",\"access\":\"readwrite\"}]}",
                    "GET /v1/auth/roles ",
                    "POST /v1/auth/tokens {\"roles\":[\"app-reader\"],\"description\":\"ci\",\"ttlSeconds\":3600}",
                    "GET /v1/auth/tokens ",
                    "DELETE /v1/auth/tokens/00000000000000aa ",
                    "PUT /v1/auth/bindings/team-a-api {\"subject\":\"system:serviceaccount:team-a:api\",\"roles\":[\"app-reader\"]}",
                    "DELETE /v1/auth/bindings/team-a-api ");
            assertThat(server.requests()).allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));
        }
    }

    @Test
    void theLocalSecureClustersCaAndTokenGoToItsOwnEndpointOnly() {
        SecureEndpoint local = new SecureEndpoint("https://127.0.0.1:8443", caCrt, tokenFile);

        Target found = Target.resolve(null, null, null, Optional.of(local));
        assertThat(found).isEqualTo(new Target("https://127.0.0.1:8443", caCrt, TOKEN));
        assertThat(Target.resolve("https://127.0.0.1:8443/", null, null, Optional.of(local))).isEqualTo(found);

        assertThat(Target.resolve("https://kv.example:443", null, null, Optional.of(local)))
                .isEqualTo(new Target("https://kv.example:443", null, null));
        assertThat(Target.resolve(null, null, null, Optional.empty())).isEqualTo(new Target("http://127.0.0.1:8080", null, null));
        Path mine = dir.resolve("mine.crt");
        assertThat(Target.resolve(null, mine, null, Optional.of(local)).cacert()).isEqualTo(mine);
        assertThatThrownBy(() -> Target.resolve(null, null, dir.resolve("none"), Optional.empty()))
                .isInstanceOf(Http.Failure.class);
    }
}
