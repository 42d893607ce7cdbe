package io.ordinal.security.tls;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

import java.io.IOException;
import java.time.Duration;

/**
 * How this process speaks Raft: plain gRPC, or mutual TLS on every Raft connection it makes or takes
 * (replica to replica, frontend to replica, the admin calls). Every {@code RaftServer} and
 * {@code RaftClient} of the process is built with {@link #parameters()}; one TLS configuration serves
 * Ratis's server, client and admin sides alike.
 *
 * <p>With TLS, both ends present the certificate of {@code tls.crt} and require the other's to be
 * signed by a CA of {@code ca.crt}: a peer without a certificate, or with one from another CA, is
 * refused in the handshake. A client also checks that the replica's certificate names the host it
 * dialled (gRPC's endpoint identification): each replica's certificate must carry its peer host as
 * a subject alternative name, {@code kv-store-N.kv-store-peers.<ns>.svc.cluster.local} in Kubernetes,
 * {@code 127.0.0.1} on one machine. The files are read again when they change (at most once per
 * reload period, by the next handshake): established connections keep their session, new ones use
 * the new certificate.
 */
public final class RaftTls {

    private static final RaftTls PLAIN = new RaftTls(null);

    private final GrpcTlsConfig conf;

    private RaftTls(GrpcTlsConfig conf) {
        this.conf = conf;
    }

    /** Plain gRPC: {@code ordinal.security.enabled=false}. */
    public static RaftTls plain() {
        return PLAIN;
    }

    /** Mutual TLS with the files of {@code dir}, looked at again every {@code reloadPeriod}. */
    public static RaftTls mutual(TlsDirectory dir, Duration reloadPeriod) throws IOException {
        return new RaftTls(GrpcTlsConfig.newBuilder()
                .setName("raft")
                .setMutualTls(true)
                .setKeyManager(new ReloadingKeyManager(dir, reloadPeriod))
                .setTrustManager(new ReloadingTrustManager(dir.ca(), reloadPeriod))
                .setProtocols("TLSv1.3", "TLSv1.2")
                .build());
    }

    public boolean enabled() {
        return conf != null;
    }

    /** The parameters for a {@code RaftServer.Builder} or a {@code RaftClient.Builder}: a new object each time. */
    public Parameters parameters() {
        Parameters parameters = new Parameters();
        if (conf != null) {
            GrpcConfigKeys.TLS.setConf(parameters, conf);
        }
        return parameters;
    }
}
