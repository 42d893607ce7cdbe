package io.ordinal.frontend;

import io.ordinal.cluster.Topology;
import io.ordinal.config.OrdinalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;

/** Every role serves the API through one Ratis client of the group. */
@ApplicationScoped
public class KvClientProducer {

    /** A value, its key and the entry's framing must fit Ratis's 4 MB log appender buffer. */
    static final int MAX_VALUE_LIMIT = 3 * 1024 * 1024;

    @Produces
    @Singleton
    KvClient kvClient(Topology topology, OrdinalConfig config) {
        int max = config.api().maxValueBytes();
        if (max < 0 || max > MAX_VALUE_LIMIT) {
            throw new IllegalArgumentException("ordinal.api.max-value-bytes is " + max + "; it must be 0 to "
                    + MAX_VALUE_LIMIT + " so that one write fits one Raft log entry (4 MB appender buffer)");
        }
        int txnMax = config.api().txnMaxBytes();
        if (txnMax < 1 || txnMax > MAX_VALUE_LIMIT) {
            throw new IllegalArgumentException("ordinal.api.txn-max-bytes is " + txnMax + "; it must be 1 to "
                    + MAX_VALUE_LIMIT + " so that one transaction fits one Raft log entry (4 MB appender buffer)");
        }
        return new KvClient(topology, config.api().requestDeadline(), config.watch().pollWait());
    }

    void close(@Disposes KvClient client) throws IOException {
        client.close();
    }
}
