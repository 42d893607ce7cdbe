package io.ordinal.badinput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app}) run as an all-in-one node in a JVM of its own,
 * with the production configuration plus a few overrides, and a raw HTTP/1.1 client that sends bytes
 * exactly as given (no client library would send most of what these tests send).
 */
final class AllInOneNode implements AutoCloseable {

    /** What came back: the status (0 if the connection closed without one), headers in lower case, body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers + " " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
    }

    private final Process process;
    private final int port;
    private final Path log;

    private AllInOneNode(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static AllInOneNode start(Path dir, Map<String, String> overrides) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run in the integration-test phase, after package");
        }
        try {
            Path data = dir.toAbsolutePath().resolve(UUID.randomUUID().toString());
            Files.createDirectories(data);
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dordinal.role=all-in-one", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dordinal.cluster.raft-port=" + freePort(), "-Dordinal.replica.data-dir=" + data.resolve("data"),
                    "-Dordinal.raft.election-timeout-min=300ms", "-Dordinal.raft.election-timeout-max=600ms"));
            overrides.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(List.of("-jar", jar.toString()));
            Path log = data.resolve("node.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            AllInOneNode node = new AllInOneNode(p, port, log);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < until) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the node exited " + p.exitValue() + "; see " + log);
                }
                if (node.isReady()) {
                    return node;
                }
                Thread.sleep(300);
            }
            node.close();
            throw new IllegalStateException("the node was not ready within 120 s; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    boolean isReady() {
        return get("/q/health/ready").status() == 200;
    }

    boolean isLive() {
        return get("/q/health/live").status() == 200;
    }

    Answer get(String target) {
        try {
            return send(("GET " + target + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1), List.of(), null, false);
        } catch (IOException e) {
            return new Answer(0, Map.of(), new byte[0]);
        }
    }

    /**
     * Sends one request on a fresh connection ({@code Connection: close}) and reads the whole answer.
     *
     * @param requestLine the request line's bytes, sent as they are
     * @param headers     header lines besides Host, Connection and the body's framing
     * @param body        the body, or null for none
     * @param chunked     send the body in chunks ({@code Transfer-Encoding: chunked}) instead of with a length
     */
    Answer send(byte[] requestLine, List<String> headers, byte[] body, boolean chunked) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(requestLine);
            StringBuilder h = new StringBuilder("\r\nHost: localhost\r\nConnection: close\r\n");
            if (body != null) {
                h.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
            }
            headers.forEach(x -> h.append(x).append("\r\n"));
            head.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toByteArray());
                if (body != null) {
                    if (chunked) {
                        writeChunked(out, body);
                    } else {
                        out.write(body);
                    }
                }
                out.flush();
            } catch (SocketException e) {
                // the server may answer and close before it has read all we send (a 413, a 431): read its answer
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        int chunk = 8192;
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // reset after the answer: keep what arrived
        } catch (SocketTimeoutException e) {
            throw new IOException("no end of the answer within 20 s; got: "
                    + new String(got.toByteArray(), StandardCharsets.ISO_8859_1), e);
        }
        return got.toByteArray();
    }

    /** The final answer: interim ones ({@code 100 Continue}) are skipped. */
    static Answer parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Answer(0, Map.of(), raw);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status >= 100 && status < 200) {
            return parse(Arrays.copyOfRange(raw, end + 4, raw.length));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(chunked, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (true) {
            int lineEnd = s.indexOf("\r\n", i);
            if (lineEnd < 0) {
                return out.toByteArray();
            }
            int size = Integer.parseInt(s.substring(i, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            i = lineEnd + 2 + size + 2;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
