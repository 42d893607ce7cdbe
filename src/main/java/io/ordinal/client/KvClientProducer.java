package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.config.OrdinalConfig;
import io.ordinal.security.tls.RaftTls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;

/** Every role serves the API through one Ratis client of the group. */
@ApplicationScoped
public class KvClientProducer {

    @Produces
    @Singleton
    KvClient kvClient(Topology topology, OrdinalConfig config, RaftTls tls) {
        return new KvClient(topology, config.api().requestDeadline(), config.watch().pollWait(), tls);
    }

    void close(@Disposes KvClient client) throws IOException {
        client.close();
    }
}
