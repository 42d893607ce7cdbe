package io.ordinal.api;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no URI-checking client would send as they are: dot
 * segments, malformed escapes, raw bytes in the request line, malformed headers.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** What came back: the status, the headers (names in lower case) and the body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /**
     * Sends one request and reads the whole answer (the connection is closed after it).
     *
     * @param requestLine ISO-8859-1: each character from U+0080 to U+00FF goes out as that one byte
     * @param headers     extra header lines, such as {@code "Content-Type: foo"}
     */
    static Answer send(String requestLine, byte[] body, String... headers) {
        if (body == null) {
            return sendRaw(requestLine, new byte[0], headers);
        }
        String[] withLength = new String[headers.length + 1];
        withLength[0] = "Content-Length: " + body.length;
        System.arraycopy(headers, 0, withLength, 1, headers.length);
        return sendRaw(requestLine, body, withLength);
    }

    /** Sends a body in chunks of at most 2 bytes, with no declared length ({@code Transfer-Encoding: chunked}). */
    static Answer sendChunked(String requestLine, byte[] body) {
        java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += 2) {
            int n = Math.min(2, body.length - i);
            chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunked.write(body, i, n);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return sendRaw(requestLine, chunked.toByteArray(), "Transfer-Encoding: chunked");
    }

    /** The request line, Host, Connection: close, the given header lines, then the bytes as they are. */
    private static Answer sendRaw(String requestLine, byte[] raw, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: localhost\r\nConnection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer send(String requestLine, String... headers) {
        return send(requestLine, requestLine.startsWith("PUT ") ? "x".getBytes(StandardCharsets.UTF_8) : null, headers);
    }

    private static Answer parse(byte[] raw) throws IOException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
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
            int size = Integer.parseInt(s.substring(i, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            i = lineEnd + 2 + size + 2;
        }
    }
}
