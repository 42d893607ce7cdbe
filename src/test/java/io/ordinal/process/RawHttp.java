package io.ordinal.process;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, sending bytes exactly as given, for requests no URI-checking client
 * would send as they are: dot segments, malformed escapes, raw bytes in the request line, malformed
 * headers. The one raw client of the tests: against a {@code @QuarkusTest}'s application
 * ({@code RestAssured.port}) and against the packaged application in a JVM of its own ({@link AllInOneNode}).
 */
public final class RawHttp {

    private static final int SOCKET_TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    /** What came back: the status (0 if the connection closed without one), headers in lower case, body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers + " " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
    }

    /**
     * Sends one request to the {@code @QuarkusTest}'s application, with a body of that length if there is one.
     *
     * @param requestLine ISO-8859-1: each character from U+0080 to U+00FF goes out as that one byte
     * @param headers     extra header lines, such as {@code "Content-Type: foo"}
     */
    public static Answer send(String requestLine, byte[] body, String... headers) {
        return toTestApplication(requestLine, body, false, headers);
    }

    /** A {@code PUT} gets the body {@code x}; anything else none. */
    public static Answer send(String requestLine, String... headers) {
        return send(requestLine, requestLine.startsWith("PUT ") ? "x".getBytes(StandardCharsets.UTF_8) : null, headers);
    }

    /** Sends a body in chunks of at most 2 bytes, with no declared length ({@code Transfer-Encoding: chunked}). */
    public static Answer sendChunked(String requestLine, byte[] body) {
        return toTestApplication(requestLine, body, true);
    }

    private static Answer toTestApplication(String requestLine, byte[] body, boolean chunked, String... headers) {
        try {
            return send(RestAssured.port, requestLine.getBytes(StandardCharsets.ISO_8859_1), List.of(headers), body,
                    chunked ? 2 : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one request on a fresh connection ({@code Connection: close}) and reads the whole answer.
     *
     * @param requestLine the request line's bytes, sent as they are
     * @param headers     header lines besides Host, Connection and the body's framing
     * @param body        the body, or null for none
     * @param chunkSize   0: the body with a length; else in chunks of at most this many bytes
     *                    ({@code Transfer-Encoding: chunked})
     */
    public static Answer send(int port, byte[] requestLine, List<String> headers, byte[] body, int chunkSize)
            throws IOException {
        return send(SocketFactory.getDefault(), port, requestLine, headers, body, chunkSize);
    }

    /** As {@link #send(int, byte[], List, byte[], int)}, on a connection {@code sockets} makes (TLS, for one). */
    public static Answer send(SocketFactory sockets, int port, byte[] requestLine, List<String> headers, byte[] body,
                              int chunkSize) throws IOException {
        try (Socket socket = connect(sockets, port)) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(requestLine);
            StringBuilder h = new StringBuilder("\r\nHost: localhost\r\nConnection: close\r\n");
            if (body != null) {
                h.append(chunkSize > 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
            }
            headers.forEach(x -> h.append(x).append("\r\n"));
            head.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toByteArray());
                if (body != null) {
                    out.write(chunkSize > 0 ? chunked(body, chunkSize) : body);
                }
                out.flush();
            } catch (SocketException e) {
                // the server may answer and close before it has read all we send (a 413, a 431): read its answer
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    public static Socket connect(int port) throws IOException {
        return connect(SocketFactory.getDefault(), port);
    }

    public static Socket connect(SocketFactory sockets, int port) throws IOException {
        return sockets.createSocket(InetAddress.getLoopbackAddress(), port);
    }

    private static byte[] chunked(byte[] body, int chunkSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += chunkSize) {
            int n = Math.min(chunkSize, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Everything until the server closes the connection (or resets it after its answer). */
    public static byte[] readAll(InputStream in) throws IOException {
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
    public static Answer parse(byte[] raw) {
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
}
