package io.ordinal.it;

import io.ordinal.client.KvClient;
import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.security.tls.CertificateAuthority;
import io.ordinal.security.tls.PemFiles;
import io.ordinal.security.tls.RaftTls;
import io.ordinal.security.tls.TlsDirectory;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Raft over mutual TLS (security-v1.md, "Peers"): three replicas in one JVM, each with its own
 * certificate from the cluster CA. Writes replicate; a client with no certificate, or with one from
 * another CA, is refused in the handshake; plain gRPC gets no Raft answer; a rotated certificate is
 * served from the next handshake on, without a restart; a certificate that does not name the host
 * its clients dial is refused by them.
 */
class RaftTlsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static CertificateAuthority ca;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        ca = CertificateAuthority.create("ordinal test CA", Duration.ofDays(1));
        cluster = TestCluster.startWithTls(3, dir.resolve("cluster"), ca);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesReplicateOverMutualTls() {
        KvClient client = cluster.newClient(DEADLINE);
        WriteResult result = client.write(new Command.Put(bytes("tls/a"), bytes("1"), Precondition.NONE)).join();
        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);

        cluster.awaitCaughtUp();
        for (int i = 0; i < 3; i++) {
            KeyValue kv = client.getFrom(i, bytes("tls/a")).join();
            assertThat(kv).as("replica %d", i).isNotNull();
            assertThat(kv.modRevision()).isEqualTo(result.revision());
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedInTheHandshake() throws IOException {
        SSLContext noCertificate = context(null, new TlsDirectory(cluster.tlsDir("kv-store-1")));

        assertThatThrownBy(() -> handshake(raftPort(1), noCertificate)).isInstanceOf(SSLException.class);
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsRefusedInTheHandshake() throws IOException {
        TlsDirectory stranger = new TlsDirectory(dir.resolve("stranger"));
        CertificateAuthority.create("another CA", Duration.ofDays(1))
                .issue("kv-frontend", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), stranger.dir());
        // It trusts the cluster's CA, so that only the replica can be the side that refuses.
        SSLContext foreign = context(stranger, new TlsDirectory(cluster.tlsDir("kv-store-1")));

        assertThatThrownBy(() -> handshake(raftPort(1), foreign)).isInstanceOf(SSLException.class);
        // The same client with the cluster's own certificate is let in: the refusal was the certificate's.
        assertThat(handshake(raftPort(1), context(new TlsDirectory(cluster.tlsDir("kv-frontend")),
                new TlsDirectory(cluster.tlsDir("kv-store-1"))))).isNotNull();
    }

    @Test
    void aPlainRaftClientGetsNoRaftAnswer() throws IOException {
        RaftPeer peer = cluster.topology().peer(1);
        try (RaftClient plain = client(peer, RaftTls.plain())) {
            assertThatThrownBy(() -> plain.getGroupManagementApi(peer.getId()).info(cluster.topology().groupId()))
                    .hasMessageContaining("UNAVAILABLE");
        }
        // The same call over mutual TLS is answered: what failed was the plain connection.
        try (RaftClient mutual = client(peer, RaftTls.mutual(new TlsDirectory(cluster.tlsDir("kv-frontend")),
                Duration.ofSeconds(10)))) {
            assertThat(mutual.getGroupManagementApi(peer.getId()).info(cluster.topology().groupId()).isSuccess()).isTrue();
        }
    }

    @Test
    void aRotatedCertificateIsServedFromTheNextHandshakeWithoutARestart() throws IOException {
        TlsDirectory frontend = new TlsDirectory(cluster.tlsDir("kv-frontend"));
        SSLContext context = context(frontend, frontend);
        BigInteger before = handshake(raftPort(2), context).getSerialNumber();

        ca.issue("kv-store-2", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), cluster.tlsDir("kv-store-2"));
        BigInteger rotated = PemFiles.certificates(new TlsDirectory(cluster.tlsDir("kv-store-2")).certificate()).get(0)
                .getSerialNumber();
        assertThat(rotated).isNotEqualTo(before);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> handshake(raftPort(2), context(frontend, frontend)).getSerialNumber(), rotated::equals);
        // Raft goes on over the new certificate.
        KvClient client = cluster.newClient(DEADLINE);
        client.write(new Command.Put(bytes("tls/rotated"), bytes("1"), Precondition.NONE)).join();
        cluster.awaitCaughtUp();
    }

    @Test
    void aReplicaWhoseCertificateDoesNotNameItsPeerHostIsRefusedByItsClients() throws IOException {
        TlsDirectory replica0 = new TlsDirectory(cluster.tlsDir("kv-store-0"));
        TlsDirectory frontend = new TlsDirectory(cluster.tlsDir("kv-frontend"));
        RaftPeer peer = cluster.topology().peer(0);
        try {
            // Clients dial 127.0.0.1: a certificate for another name only is not this replica's.
            ca.issue("kv-store-0", List.of("kv-store-0.elsewhere"), List.of(), Duration.ofDays(1), replica0.dir());
            SSLContext context = context(frontend, frontend);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> handshake(raftPort(0), context).getSubjectAlternativeNames().size() == 1);

            try (RaftClient client = client(peer, RaftTls.mutual(frontend, Duration.ofSeconds(10)))) {
                assertThatThrownBy(() -> client.getGroupManagementApi(peer.getId()).info(cluster.topology().groupId()))
                        .hasRootCauseInstanceOf(CertificateException.class)
                        .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
            }
        } finally {
            ca.issue("kv-store-0", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), replica0.dir());
        }
        try (RaftClient client = client(peer, RaftTls.mutual(frontend, Duration.ofSeconds(10)))) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> client.getGroupManagementApi(peer.getId()).info(cluster.topology().groupId()).isSuccess());
        }
    }

    private static int raftPort(int ordinal) {
        return cluster.topology().port(ordinal);
    }

    /** A Ratis client of one replica that fails at once rather than retrying. */
    private static RaftClient client(RaftPeer peer, RaftTls tls) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(cluster.topology().groupId(), peer))
                .setProperties(p)
                .setParameters(tls.parameters())
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    /** A TLS client context presenting {@code identity}'s certificate (none if null) and trusting {@code trust}'s CA. */
    private static SSLContext context(TlsDirectory identity, TlsDirectory trust) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = identity == null ? null
                    : new KeyManager[] {PemFiles.keyManager(identity.certificate(), identity.key())};
            context.init(keys, new TrustManager[] {PemFiles.trustManager(trust.ca())}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /**
     * Shakes hands with a replica's Raft port as a gRPC client would (ALPN h2), and answers the
     * certificate it served once it speaks HTTP/2 (its SETTINGS frame). With TLS 1.3 the server judges
     * the client's certificate after the client has finished its part: a refusal arrives as an alert
     * on the first read.
     */
    private static X509Certificate handshake(int port, SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            if (socket.getInputStream().read() < 0) {
                throw new IOException("the replica closed the connection without a word");
            }
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
