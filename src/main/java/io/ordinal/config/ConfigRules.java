package io.ordinal.config;

import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.TlsDirectory;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What each value of {@link OrdinalConfig} must be, beyond its type: checked by {@link ConfigValidation}
 * while the configuration is built, so that a bad value stops the process at startup with a message
 * that names the property, rather than failing later, or never, somewhere that does not. A value the
 * process's role does not read (a replica setting on a frontend) is not checked.
 */
final class ConfigRules {

    /** A value, its key and the entry's framing must fit Ratis's 4 MB log appender buffer. */
    static final int LOG_ENTRY_LIMIT = 3 * 1024 * 1024;

    /** A host name or an IPv4 address, or an IPv6 address in brackets: what goes before {@code :port}. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    /** Where a JWKS may be fetched over plain HTTP: this machine only (kubectl proxy, tests). */
    private static final Pattern LOOPBACK_URL = Pattern.compile("http://(127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1])[:/]");

    private final List<Problem> problems = new ArrayList<>();

    private ConfigRules() {
    }

    /** Throws one exception that lists every problem of {@code config}, if it has any. */
    static void check(OrdinalConfig config) {
        ConfigRules rules = new ConfigRules();
        rules.cluster(config);
        if (config.role().runsReplica()) {
            rules.replica(config);
        }
        rules.api(config.api());
        rules.watch(config.watch());
        rules.dashboard(config.dashboard());
        config.management().port().ifPresent(port -> rules.require(port >= 1 && port <= 65535,
                "ordinal.management.port", port, "a port, 1 to 65535"));
        rules.jwt(config.security().jwt());
        rules.tls(config.security());
        rules.security(config.security());
        if (!rules.problems.isEmpty()) {
            throw new ConfigValidationException(rules.problems.toArray(Problem[]::new));
        }
    }

    private void cluster(OrdinalConfig config) {
        OrdinalConfig.Cluster c = config.cluster();
        require(!c.name().isBlank(), "ordinal.cluster.name", c.name(), "a name: the Raft group id is derived from it");
        require(!c.replicaPrefix().isBlank(), "ordinal.cluster.replica-prefix", c.replicaPrefix(),
                "the name prefix of the replica pods");
        String host = c.peerHost().replace("{pod}", c.replicaPrefix() + "-0").replace("{ordinal}", "0")
                .replace("{namespace}", c.namespace());
        require(HOST.matcher(host).matches(), "ordinal.cluster.peer-host", c.peerHost(),
                "a host name or address, with no port, where {pod}, {ordinal} and {namespace} are replaced");
        if (config.role() == Role.ALL_IN_ONE) {
            require(c.raftPort() >= 0 && c.raftPort() <= 65535, "ordinal.cluster.raft-port", c.raftPort(),
                    "a port, or 0 for any free port");
            return; // a group of one on loopback: the rest of the cluster's shape is not read
        }
        require(c.replicas() >= 1, "ordinal.cluster.replicas", c.replicas(), "at least 1");
        require(c.raftPortStride() >= 0, "ordinal.cluster.raft-port-stride", c.raftPortStride(), "0 or more");
        long last = c.raftPort() + (long) (Math.max(c.replicas(), 1) - 1) * Math.max(c.raftPortStride(), 0);
        require(c.raftPort() >= 1 && last <= 65535, "ordinal.cluster.raft-port", c.raftPort(),
                "a port from 1 such that every replica's, raft-port + i * raft-port-stride, is at most 65535"
                        + " (0, any free port, is for all-in-one only)");
        if (config.role() == Role.REPLICA && !c.replicaPrefix().isBlank()) {
            require(Topology.isReplicaName(c.replicaPrefix(), config.podName()), "ordinal.pod-name",
                    config.podName(), "'" + c.replicaPrefix() + "-<ordinal>': a replica takes its identity from"
                            + " its StatefulSet pod name");
        }
        OrdinalConfig.Membership m = config.membership();
        require(m.source() != OrdinalConfig.Membership.Source.FILE || m.file().isPresent(), "ordinal.membership.file",
                "unset", "set when ordinal.membership.source is file");
    }

    private void replica(OrdinalConfig config) {
        OrdinalConfig.Replica r = config.replica();
        require(r.snapshotEvery() >= 1, "ordinal.replica.snapshot-every", r.snapshotEvery(), "at least 1");
        require(r.purgeGap() >= 1, "ordinal.replica.purge-gap", r.purgeGap(), "at least 1");
        require(r.logSegmentSize().asLongValue() >= 1, "ordinal.replica.log-segment-size", r.logSegmentSize(),
                "at least 1 byte");
        require(r.minFreeSpace().asLongValue() >= 0, "ordinal.replica.min-free-space", r.minFreeSpace(), "0 or more");
        positive("ordinal.replica.lease-check-interval", r.leaseCheckInterval());
        OrdinalConfig.Raft raft = config.raft();
        positive("ordinal.raft.election-timeout-min", raft.electionTimeoutMin());
        require(raft.electionTimeoutMin().compareTo(raft.electionTimeoutMax()) <= 0,
                "ordinal.raft.election-timeout-min", raft.electionTimeoutMin(),
                "at most ordinal.raft.election-timeout-max, " + raft.electionTimeoutMax());
        positive("ordinal.membership.interval", config.membership().interval());
        require(!config.membership().leaveTimeout().isNegative(), "ordinal.membership.leave-timeout",
                config.membership().leaveTimeout(), "0 or more");
    }

    private void api(OrdinalConfig.Api a) {
        require(a.maxValueBytes() >= 0 && a.maxValueBytes() <= LOG_ENTRY_LIMIT, "ordinal.api.max-value-bytes",
                a.maxValueBytes(), "0 to " + LOG_ENTRY_LIMIT + " so that one write fits one Raft log entry"
                        + " (4 MB appender buffer)");
        require(a.txnMaxBytes() >= 1 && a.txnMaxBytes() <= LOG_ENTRY_LIMIT, "ordinal.api.txn-max-bytes",
                a.txnMaxBytes(), "1 to " + LOG_ENTRY_LIMIT + " so that one transaction fits one Raft log entry"
                        + " (4 MB appender buffer)");
        require(a.txnMaxOps() >= 1, "ordinal.api.txn-max-ops", a.txnMaxOps(), "at least 1");
        positive("ordinal.api.request-deadline", a.requestDeadline());
    }

    private void watch(OrdinalConfig.Watch w) {
        require(w.historyRevisions() >= 1, "ordinal.watch.history-revisions", w.historyRevisions(), "at least 1");
        require(w.historyBytes().asLongValue() >= 1, "ordinal.watch.history-bytes", w.historyBytes(),
                "at least 1 byte");
        require(w.batchBytes() >= 1, "ordinal.watch.batch-bytes", w.batchBytes(), "at least 1");
        positive("ordinal.watch.poll-wait", w.pollWait());
        positive("ordinal.watch.heartbeat", w.heartbeat());
        positive("ordinal.watch.slow-consumer-timeout", w.slowConsumerTimeout());
    }

    private void dashboard(OrdinalConfig.Dashboard d) {
        positive("ordinal.dashboard.poll-interval", d.pollInterval());
        require(d.replicaHttpPort() >= 1 && d.replicaHttpPort() <= 65535, "ordinal.dashboard.replica-http-port",
                d.replicaHttpPort(), "a port, 1 to 65535");
        require(d.replicaHttpPortStride() >= 0, "ordinal.dashboard.replica-http-port-stride",
                d.replicaHttpPortStride(), "0 or more");
        positive("ordinal.dashboard.drills.pause", d.drills().pause());
    }

    private void security(OrdinalConfig.Security s) {
        require(!s.enabled() || s.rootTokenFile().isPresent(), "ordinal.security.root-token-file", "unset",
                "set when ordinal.security.enabled is true: the file that holds the bootstrap root token");
    }

    private void jwt(OrdinalConfig.Security.Jwt j) {
        require(j.issuer().isEmpty() || j.jwksLocation().isPresent(), "ordinal.security.jwt.jwks-location", "unset",
                "set when ordinal.security.jwt.issuer is: the issuer's public keys verify its tokens");
        j.jwksLocation().ifPresent(location -> require(!location.startsWith("http:") || LOOPBACK_URL.matcher(location)
                        .lookingAt(), "ordinal.security.jwt.jwks-location", location,
                "a file, or an https URL (plain http only on loopback, e.g. kubectl proxy)"));
    }

    /** Security on: HTTPS and Raft's mutual TLS need the certificate directory, whole. */
    private void tls(OrdinalConfig.Security s) {
        if (!s.enabled()) {
            return;
        }
        require(s.tls().dir().isPresent(), "ordinal.security.tls.dir", "unset",
                "set when ordinal.security.enabled is true: a directory with tls.crt, tls.key and ca.crt");
        s.tls().dir().map(TlsDirectory::new).map(TlsDirectory::missing).filter(missing -> !missing.isEmpty())
                .ifPresent(missing -> problems.add(new Problem("ordinal.security.tls.dir is " + s.tls().dir().get()
                        + "; it must hold tls.crt, tls.key and ca.crt (cert-manager's Secret layout), but "
                        + missing + " are not there")));
        positive("ordinal.security.tls.reload-period", s.tls().reloadPeriod());
    }

    private void positive(String property, Duration value) {
        require(!value.isNegative() && !value.isZero(), property, value, "longer than 0");
    }

    private void require(boolean holds, String property, Object value, String what) {
        if (!holds) {
            problems.add(new Problem(property + " is " + value + "; it must be " + what));
        }
    }
}
