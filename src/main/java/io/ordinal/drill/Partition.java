package io.ordinal.drill;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts the network between replicas that each run in a network namespace of their own
 * ({@code KV_NETNS=1}): each namespace gets a blackhole route to the other's address, so packets (of
 * connections old and new) are dropped silently, as in a real partition, while the replicas stay
 * reachable from the frontends. Needs root and iproute2.
 */
public final class Partition {

    /** Blackhole routes added: namespace → addresses. */
    private final Map<String, Set<String>> cuts = new HashMap<>();

    /** Cuts the network between two replicas, both ways. */
    public synchronized void cut(Pod a, Pod b) {
        blackhole(a.netns(), b.host());
        blackhole(b.netns(), a.host());
    }

    /** Cuts {@code pod} off from every other replica of {@code replicas}. */
    public void isolate(Pod pod, List<Pod> replicas) {
        for (Pod other : replicas) {
            if (!other.name().equals(pod.name())) {
                cut(pod, other);
            }
        }
    }

    /** Removes every cut. */
    public synchronized void heal() {
        cuts.forEach((ns, addresses) -> addresses.forEach(a -> HostCommand.run("ip", "-n", ns, "route", "del", "blackhole", a + "/32")));
        cuts.clear();
    }

    private void blackhole(String ns, String address) {
        if (cuts.computeIfAbsent(ns, k -> new LinkedHashSet<>()).add(address)) {
            HostCommand.must("ip", "-n", ns, "route", "add", "blackhole", address + "/32");
        }
    }
}
