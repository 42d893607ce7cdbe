package io.ordinal.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code bin/kv-local status --json} prints, for a program in the same jar (the failover driver,
 * {@code io.ordinal.drill}): read in the calling process, because each {@code bin/kv-local} starts a JVM,
 * and the fault runs ask for the status every few hundred milliseconds.
 */
public final class LocalStatus {

    private LocalStatus() {
    }

    /**
     * @param checkout where {@code bin/kv-local} lives
     * @param settings the cluster's settings ({@code KV_LOCAL_HOME}, {@code KV_HTTP_PORT}, …), over this
     *                 process's environment, as they would be for {@code bin/kv-local}
     */
    public static String json(Path checkout, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(settings);
        return StatusCommand.status(new Cluster(checkout.toAbsolutePath().normalize(), env)).toString();
    }
}
