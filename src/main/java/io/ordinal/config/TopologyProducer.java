package io.ordinal.config;

import io.ordinal.cluster.Topology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The cluster's topology from configuration; all-in-one is a group of one on loopback. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    @Singleton
    Topology topology(OrdinalConfig config) {
        OrdinalConfig.Cluster c = config.cluster();
        if (config.role() == Role.ALL_IN_ONE) {
            int port = c.raftPort() == 0 ? freePort() : c.raftPort();
            return new Topology(c.name(), c.replicaPrefix(), 1, "127.0.0.1", c.namespace(), port, 0);
        }
        return new Topology(c.name(), c.replicaPrefix(), c.replicas(), c.peerHost(), c.namespace(),
                c.raftPort(), c.raftPortStride());
    }

    /** Raft port 0 in all-in-one mode means "any free port" (tests). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
