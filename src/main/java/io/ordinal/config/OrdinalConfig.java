package io.ordinal.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every knob of Ordinal, typed, with its default. Documented in docs/configuration.md; what each value
 * must be beyond its type is {@link ConfigRules}', checked when the configuration is built.
 * Each property can also be set from the environment: {@code ordinal.cluster.replicas} is
 * {@code ORDINAL_CLUSTER_REPLICAS}.
 */
@ConfigMapping(prefix = "ordinal")
public interface OrdinalConfig {

    /** What this process is: a Raft replica, a stateless frontend, or both with a single replica. */
    @WithDefault("all-in-one")
    Role role();

    /**
     * This pod's name; a replica's whole identity (peer id, ordinal, ports, data) comes from it.
     * In Kubernetes it is the pod's hostname, e.g. {@code kv-store-2}.
     */
    @WithName("pod-name")
    @WithDefault("${HOSTNAME:kv-store-0}")
    String podName();

    Cluster cluster();

    Replica replica();

    Api api();

    Raft raft();

    Membership membership();

    Watch watch();
    Dashboard dashboard();

    Security security();

    Management management();

    interface Cluster {
        /** Name of the cluster; the Raft group id is derived from it. */
        @WithDefault("kv")
        String name();

        /** Name prefix of the replica pods: replica i is {@code <prefix>-<i>}. */
        @WithName("replica-prefix")
        @WithDefault("kv-store")
        String replicaPrefix();

        /**
         * Number of replicas the group is created with (the StatefulSet's replica count at first
         * deploy): replicas below it bootstrap the group, frontends take them as their first peers.
         * Never change it on a running cluster; scale instead (see {@code ordinal.membership}).
         * Ignored by all-in-one.
         */
        @WithDefault("3")
        int replicas();

        /**
         * Host of replica i; {@code {pod}}, {@code {ordinal}} and {@code {namespace}} are replaced.
         * Kubernetes: the pod's DNS name under the headless Service. Locally: 127.0.0.1.
         */
        @WithName("peer-host")
        @WithDefault("{pod}.kv-store-peers.{namespace}.svc.cluster.local")
        String peerHost();

        /** Kubernetes namespace, used in {@code peer-host}. */
        @WithDefault("${POD_NAMESPACE:default}")
        String namespace();

        /** Raft port of replica 0. */
        @WithName("raft-port")
        @WithDefault("9870")
        int raftPort();

        /**
         * Replica i listens on {@code raft-port + i * raft-port-stride}: 0 in Kubernetes (every pod
         * has its own IP), 1 on one machine.
         */
        @WithName("raft-port-stride")
        @WithDefault("0")
        int raftPortStride();
    }

    interface Replica {
        /** Where the replica keeps its Raft log, snapshots and RocksDB database (the volume). */
        @WithName("data-dir")
        @WithDefault("data")
        Path dataDir();

        /**
         * A snapshot (RocksDB checkpoint) is taken every this many log entries; the log is purged behind it.
         * An entry carries a batch of writes, so this also bounds the log a restarting replica reads
         * back: up to two intervals. The checkpoint is written beside the apply, not in its way.
         */
        @WithName("snapshot-every")
        @WithDefault("10000")
        long snapshotEvery();

        /** The log is purged behind a snapshot in steps of at least this many entries. */
        @WithName("purge-gap")
        @WithDefault("1024")
        int purgeGap();

        /** Size of one Raft log segment file; only whole, closed segments are purged. */
        @WithName("log-segment-size")
        @WithDefault("8M")
        MemorySize logSegmentSize();

        /** Hand leadership to another replica before this one stops. */
        @WithName("transfer-leadership-on-stop")
        @WithDefault("true")
        boolean transferLeadershipOnStop();

        /** How often the leader looks for leases whose time to live ran out (and revokes them). */
        @WithName("lease-check-interval")
        @WithDefault("200ms")
        Duration leaseCheckInterval();

        /**
         * A replica does not start its Raft server while its data volume has less free space than
         * this: it waits, saying so in its log, until space returns. Started on a full disk, Ratis
         * could write its term-and-vote file into it and leave the file empty for good.
         */
        @WithName("min-free-space")
        @WithDefault("32M")
        MemorySize minFreeSpace();
    }

    interface Api {
        /** Largest value accepted, in bytes (inclusive). Larger is {@code 413}. */
        @WithName("max-value-bytes")
        @WithDefault("1048576")
        int maxValueBytes();

        /** A request that has no answer after this long (leader change included) gets {@code 503}. */
        @WithName("request-deadline")
        @WithDefault("5s")
        Duration requestDeadline();

        /** Most operations (compares and operations of both branches) in one transaction; more is {@code 400}. */
        @WithName("txn-max-ops")
        @WithDefault("128")
        int txnMaxOps();

        /** Most bytes of keys and values in one transaction; more is {@code 413}. At most 3 MiB. */
        @WithName("txn-max-bytes")
        @WithDefault("2097152")
        int txnMaxBytes();
    }

    /** Watches: the history replicas keep, and how frontends stream it. */
    interface Watch {
        /**
         * Replicas: the history of changes keeps at most this many revisions. The leader's setting
         * applies on every replica: a new leader writes it through the log when it differs from the
         * stored one, and compaction, applied in log order, follows only what the log says.
         */
        @WithName("history-revisions")
        @WithDefault("10000")
        long historyRevisions();

        /** Replicas: and at most this many bytes of keys and values (the newest revision is always kept). */
        @WithName("history-bytes")
        @WithDefault("256M")
        MemorySize historyBytes();

        /** Frontends: how long one long poll of a replica waits for a change before it is asked again. */
        @WithName("poll-wait")
        @WithDefault("5s")
        Duration pollWait();

        /** Frontends: most bytes of keys and values one poll brings (at least one change). */
        @WithName("batch-bytes")
        @WithDefault("1048576")
        int batchBytes();

        /** Frontends: a comment line is sent on an idle stream this often, so that proxies keep it open. */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * Frontends: a client that has not read what was sent for this long (the send buffer stays
         * full) gets an {@code overflow} event and the stream is closed; it resumes with Last-Event-ID.
         */
        @WithName("slow-consumer-timeout")
        @WithDefault("30s")
        Duration slowConsumerTimeout();
    }

    /** Scaling: the group's membership follows a desired replica count. */
    interface Membership {
        /**
         * Where the desired replica count comes from: {@code config} (fixed at
         * {@code ordinal.cluster.replicas}), {@code kubernetes} (the StatefulSet's
         * {@code spec.replicas}), or {@code file} ({@code ordinal.membership.file}).
         */
        @WithDefault("config")
        Source source();

        /** With {@code source=file}: a file that holds the desired count ({@code bin/kv-local scale} writes it). */
        Optional<Path> file();

        /** How often the leader compares the group with the desired count. */
        @WithDefault("1s")
        Duration interval();

        /** How long a replica that was scaled away waits, while stopping, to be removed from the group. */
        @WithName("leave-timeout")
        @WithDefault("30s")
        Duration leaveTimeout();

        enum Source { CONFIG, KUBERNETES, FILE }
    }

    interface Raft {
        /**
         * Lower bound of the randomized election timeout: how long a follower waits without hearing
         * from a leader before it stands for election. Like etcd's 1 s default, it is a trade between
         * failing over fast and not mistaking a long pause (GC, CPU throttling) for a dead leader.
         */
        @WithName("election-timeout-min")
        @WithDefault("600ms")
        Duration electionTimeoutMin();

        /** Upper bound of the randomized election timeout. */
        @WithName("election-timeout-max")
        @WithDefault("1200ms")
        Duration electionTimeoutMax();
    }

    /** The live dashboard at {@code /} and the state stream behind it ({@code /v1/dashboard/events}). */
    interface Dashboard {
        /**
         * How often the cluster is looked at while at least one page watches; nobody watching, nothing
         * is polled.
         */
        @WithName("poll-interval")
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * HTTP port of replica 0, where the dashboard asks each replica about its process and volume
         * ({@code /v1/replica}); the host is the replica's peer host.
         */
        @WithName("replica-http-port")
        @WithDefault("8080")
        int replicaHttpPort();

        /** Replica i serves HTTP on {@code replica-http-port + i * stride}: 0 in Kubernetes, 1 on one machine. */
        @WithName("replica-http-port-stride")
        @WithDefault("0")
        int replicaHttpPortStride();

        Drills drills();

        /**
         * The page's failure drills (delete the leader, delete a follower, pause the leader). Off unless
         * {@code kv-local} is set, which {@code bin/kv-local} does for {@code kv-frontend-0} alone:
         * they act on processes of this machine, so no other deployment can have them.
         */
        interface Drills {
            /** The {@code bin/kv-local} script that runs the drills; unset (the default), there are none. */
            @WithName("kv-local")
            Optional<Path> kvLocal();

            /** How long "pause the leader" keeps the leader's JVM stopped (SIGSTOP) before SIGCONT. */
            @WithDefault("8s")
            Duration pause();
        }
    }

    /**
     * TLS, authentication and authorization (the contract: security-v1.md; the threat model:
     * docs/security.md). Off for {@code bin/kv-local up} and dev mode, on in the production overlay.
     */
    interface Security {
        /** Serve the API over HTTPS only, Raft over mutual TLS, and require a bearer token on every API call. */
        @WithDefault("false")
        boolean enabled();

        /** A file whose one line is the bootstrap root token (a Kubernetes Secret in the overlay). */
        @WithName("root-token-file")
        Optional<Path> rootTokenFile();

        Tls tls();

        Jwt jwt();

        interface Tls {
            /**
             * A directory in the layout of a cert-manager Secret: {@code tls.crt} (this pod's certificate
             * chain), {@code tls.key} (its private key) and {@code ca.crt} (the cluster CA). Used for the
             * HTTPS listener, for Raft's mutual TLS, and to trust other pods.
             */
            Optional<Path> dir();

            /** How often the files are looked at again; a rotated certificate is used from then on. */
            @WithName("reload-period")
            @WithDefault("10s")
            Duration reloadPeriod();
        }

        /** Kubernetes service-account tokens (JWTs); unset issuer, no JWT is accepted. */
        interface Jwt {
            /** The {@code iss} a JWT must carry, e.g. {@code https://kubernetes.default.svc.cluster.local}. */
            Optional<String> issuer();

            /** Where the issuer's public keys are (a JWKS): a file path or an {@code https} URL. */
            @WithName("jwks-location")
            Optional<String> jwksLocation();

            /** The {@code aud} a JWT must carry (a projected service-account token's audience). */
            @WithDefault("ordinal")
            String audience();
        }
    }

    /** A plain-HTTP listener for probes and scraping only, outside the API and its authentication. */
    interface Management {
        /** Its port; unset, there is none and health and metrics are on the API port only. */
        OptionalInt port();
    }
}
