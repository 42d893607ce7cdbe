package io.ordinal.local;

import io.ordinal.security.tls.HttpsStub;
import io.ordinal.security.tls.TrustedCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code up --secure} makes: the CA, each pod's certificate and the root token, once, secrets 0600. */
class ClusterSecretsTest {

    @TempDir
    Path home;

    private Cluster cluster() {
        return new Cluster(Path.of("/checkout"), Map.of("KV_LOCAL_HOME", home.toString(), "KV_HTTPS_PORT", "18443"));
    }

    @Test
    void theCaAndTheRootTokenAreMadeOnceWithTheirSecretsReadableByTheOwnerAlone() throws Exception {
        Cluster cluster = cluster();
        new ClusterSecrets(cluster).ensureClusterWide();

        assertThat(home.resolve("tls/ca.crt")).content().startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("tls/ca.key")))).isEqualTo("rw-------");
        Path token = home.resolve("root-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(token)).singleElement().asString().matches("[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");

        String ca = Files.readString(home.resolve("tls/ca.crt"));
        String rootToken = Files.readString(token);
        new ClusterSecrets(cluster).ensureClusterWide();
        assertThat(home.resolve("tls/ca.crt")).hasContent(ca);
        assertThat(token).hasContent(rootToken);
        assertThat(ClusterSecrets.newToken()).isNotEqualTo(ClusterSecrets.newToken());
    }

    @Test
    void aPodsCertificateVerifiesAgainstTheCaForLocalhostAnd127001() throws Exception {
        Cluster cluster = cluster();
        ClusterSecrets secrets = new ClusterSecrets(cluster);
        secrets.ensureClusterWide();
        secrets.ensurePod(Pod.frontend(0));
        Path dir = home.resolve("tls/kv-frontend-0");
        assertThat(dir.resolve("ca.crt")).hasSameTextualContentAs(home.resolve("tls/ca.crt"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls.key")))).isEqualTo("rw-------");

        HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(home.resolve("tls/ca.crt"))).build();
        try (HttpsStub pod = new HttpsStub(dir, "127.0.0.1", HttpsStub::ok)) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + pod.port() + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(host).isEqualTo(200);
            }
        }
        String issued = Files.readString(dir.resolve("tls.crt"));
        secrets.ensurePod(Pod.frontend(0));
        assertThat(dir.resolve("tls.crt")).hasContent(issued);
    }
}
