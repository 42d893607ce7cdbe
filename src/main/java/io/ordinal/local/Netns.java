package io.ordinal.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The network-namespace mode ({@code KV_NETNS=1}; Linux, root, iproute2): replica i runs in the
 * namespace {@code kvl<N>-kv-store-i} at 198.18.N.1i (198.18.0.0/15 is set aside for network tests,
 * RFC 2544), joined to a bridge {@code kvl<N>br} at 198.18.N.1 in the host's namespace, where the
 * frontends run. N is remembered in the cluster's folder, because Raft keeps its peers' addresses: a
 * cluster keeps its network for good.
 */
final class Netns {

    private final Cluster cluster;

    Netns(Cluster cluster) {
        this.cluster = cluster;
    }

    static String name(Cluster cluster, Pod pod) {
        return "kvl" + cluster.netns().orElseThrow() + "-" + pod.name();
    }

    static Path path(Cluster cluster, Pod pod) {
        return Path.of("/run/netns", name(cluster, pod));
    }

    /** Chooses the network at the first {@code up}; refuses to change a cluster's network afterwards. */
    void init() {
        String want = cluster.env("KV_NETNS");
        if (cluster.netns().isPresent()) {
            if ("0".equals(want)) {
                throw new KvLocalException("this cluster was created with KV_NETNS; 'down --purge' it first");
            }
            return;
        }
        if (want == null || want.equals("0")) {
            return;
        }
        if (cluster.created()) {
            throw new KvLocalException("this cluster was created without KV_NETNS (Raft remembers its peers' addresses);"
                    + " 'down --purge' it first");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new KvLocalException("KV_NETNS needs root (network namespaces)");
        }
        if (!Detached.onPath("ip")) {
            throw new KvLocalException("KV_NETNS needs iproute2 (the ip command)");
        }
        if (!Detached.onPath("nsenter")) {
            throw new KvLocalException("KV_NETNS needs nsenter (util-linux)");
        }
        int n;
        try {
            n = want.equals("1") ? cluster.raftBase % 250 + 1 : Integer.parseInt(want);
        } catch (NumberFormatException e) {
            throw new KvLocalException("KV_NETNS must be 1 (pick a network) or a number N from 2 to 254 (198.18.N.0/24)");
        }
        if (n < 1 || n > 254) {
            throw new KvLocalException("KV_NETNS must be 1 or a number N from 2 to 254");
        }
        if (ip("-4", "addr", "show").contains("inet 198.18." + n + ".")) {
            throw new KvLocalException("198.18." + n + ".0/24 is in use on this machine;"
                    + " set KV_NETNS to another number N (198.18.N.0/24)");
        }
        cluster.setNetns(n);
    }

    /** The replica's namespace and its link to the bridge, unless they are there already. */
    void up(Pod pod) {
        OptionalInt net = cluster.netns();
        if (net.isEmpty() || pod.isFrontend()) {
            return;
        }
        int n = net.getAsInt();
        String bridge = "kvl" + n + "br";
        if (!succeeds("link", "show", bridge)) {
            ip("link", "add", bridge, "type", "bridge");
            ip("addr", "add", "198.18." + n + ".1/24", "dev", bridge);
        }
        ip("link", "set", bridge, "up");
        String ns = name(cluster, pod);
        String veth = "kvl" + n + "v" + pod.ordinal();
        if (!Files.exists(path(cluster, pod))) {
            ip("netns", "add", ns);
        }
        ip("-n", ns, "link", "set", "lo", "up");
        if (!succeeds("-n", ns, "link", "show", "eth0")) {
            succeeds("link", "del", veth);
            ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", ns, "addr", "add", cluster.host(pod) + "/24", "dev", "eth0");
        }
        ip("link", "set", veth, "master", bridge, "up");
        ip("-n", ns, "link", "set", "eth0", "up");
    }

    /** Removes the namespaces and the bridge (after {@code down}: no JVM is left in them). */
    void down() {
        OptionalInt net = cluster.netns();
        if (net.isEmpty()) {
            return;
        }
        String prefix = "kvl" + net.getAsInt() + "-" + Pod.REPLICA_PREFIX;
        for (String line : ip("netns", "list").split("\n")) {
            String ns = line.split(" ")[0];
            if (ns.startsWith(prefix)) {
                succeeds("netns", "del", ns);
            }
        }
        succeeds("link", "del", "kvl" + net.getAsInt() + "br");
    }

    private static String ip(String... args) {
        Result r = exec(args);
        if (r.status != 0) {
            throw new KvLocalException("ip " + String.join(" ", args) + " failed: " + r.output.strip());
        }
        return r.output;
    }

    private static boolean succeeds(String... args) {
        return exec(args).status == 0;
    }

    private record Result(int status, String output) {
    }

    private static Result exec(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("ip"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
