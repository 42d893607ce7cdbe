package io.ordinal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy to a local port that breaks its first connection once it has passed
 * {@code cutAfter} bytes of the answer, as a network or a proxy that drops a long stream would; later
 * connections pass untouched.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long cutAfter;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicLong answered = new AtomicLong();

    CuttingProxy(int targetPort, long cutAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        daemon(this::accept, "cutting-proxy");
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Whether the first connection was broken. */
    boolean cut() {
        return cut.get();
    }

    /** Bytes of answers passed so far, on every connection: above 0 once a stream's headers arrived. */
    long answered() {
        return answered.get();
    }

    private void accept() {
        boolean first = true;
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                long limit = first ? cutAfter : Long.MAX_VALUE;
                first = false;
                daemon(() -> pump(client, target, Long.MAX_VALUE, new AtomicLong()), "cutting-proxy-request");
                daemon(() -> pump(target, client, limit, answered), "cutting-proxy-answer");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, long limit, AtomicLong count) {
        byte[] buffer = new byte[8192];
        long passed = 0;
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                int pass = (int) Math.min(n, limit - passed);
                out.write(buffer, 0, pass);
                out.flush();
                passed += pass;
                count.addAndGet(pass);
                if (passed >= limit) {
                    cut.set(true);
                    return; // closing both ends breaks the connection
                }
            }
        } catch (IOException ignored) {
            // the other direction closed the connection
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
