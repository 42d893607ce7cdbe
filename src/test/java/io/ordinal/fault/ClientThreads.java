package io.ordinal.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The clients of a workload, one daemon thread each, each with its own random numbers drawn from the
 * run's seed (so that a seed replays the same choices); {@link #running()} is what their loops check.
 */
final class ClientThreads {

    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    ClientThreads(String name) {
        this.name = name;
    }

    /** Starts {@code clients} loops; {@code client} makes client number {@code c} from its random numbers. */
    void start(int clients, long seed, BiFunction<Integer, Random, Runnable> client) {
        running.set(true);
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(client.apply(c, new Random(seed * 1_000_003L + c)), name + "-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    boolean running() {
        return running.get();
    }

    /** Stops the clients and waits for their last requests (each ends within the request timeout). */
    void stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(Workload.REQUEST_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }
}
