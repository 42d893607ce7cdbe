package io.ordinal.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for the processes and in-JVM clusters the tests start: the one helper for them. */
public final class FreePorts {

    private FreePorts() {
    }

    /** One free port. */
    public static int one() {
        return range(1);
    }

    /** A run of {@code n} consecutive free loopback ports (pod i listens on base + i). */
    public static int range(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            // Below Linux's ephemeral range (32768-60999): a port chosen there can be taken, before the
            // process binds it, as the source port of some outgoing connection.
            int base = ThreadLocalRandom.current().nextInt(10_000, 32_000);
            if (allFree(base, n)) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + n + " free ports found");
    }

    private static boolean allFree(int base, int n) {
        for (int p = base; p < base + n; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
