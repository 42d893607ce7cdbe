package io.ordinal.dashboard;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.client.KvClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Wires the dashboard's feed and drills from the configuration. */
@ApplicationScoped
public class DashboardProducer {

    private static final Logger LOG = Logger.getLogger(DashboardProducer.class);

    @Produces
    @Singleton
    Drills drills(OrdinalConfig config, KvClient client, Provider<DashboardFeed> feed) {
        Optional<Path> script = config.dashboard().drills().kvLocal();
        if (script.isPresent() && !Files.isExecutable(script.get())) {
            LOG.warnf("ordinal.dashboard.drills.kv-local is %s, which is not an executable file: drills are off",
                    script.get());
            script = Optional.empty();
        } else if (script.isPresent()) {
            LOG.infof("dashboard drills are on, through %s", script.get());
        }
        return new Drills(script, config.dashboard().drills().pause(), client::cluster,
                event -> feed.get().record(event));
    }

    void close(@Disposes Drills drills) {
        drills.close();
    }

    @Produces
    @Singleton
    DashboardFeed feed(ClusterPoller poller, TrafficMeter meter, OrdinalConfig config, Drills drills) {
        Frontend frontend = new Frontend(config.podName(), config.role().name().toLowerCase().replace('_', '-'),
                !drills.available().isEmpty() ? "local"
                        : System.getenv("KUBERNETES_SERVICE_HOST") != null ? "kubernetes" : "standalone",
                ManagementFactory.getRuntimeMXBean().getStartTime(), ProcessHandle.current().pid());
        return new DashboardFeed(poller::poll, meter, config.dashboard().pollInterval(), frontend,
                drills::available, config.dashboard().drills().pause());
    }

    void close(@Disposes DashboardFeed feed) {
        feed.close();
    }
}
