package io.ordinal.badinput;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 request as bytes: the method and the request target exactly as they go on the wire,
 * header lines, and a body (null for none) sent with a length or in chunks.
 */
record RawRequest(String method, byte[] target, List<String> headers, byte[] body, boolean chunked) {

    byte[] requestLine() {
        byte[] m = (method + " ").getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = " HTTP/1.1".getBytes(StandardCharsets.ISO_8859_1);
        byte[] line = new byte[m.length + target.length + v.length];
        System.arraycopy(m, 0, line, 0, m.length);
        System.arraycopy(target, 0, line, m.length, target.length);
        System.arraycopy(v, 0, line, m.length + target.length, v.length);
        return line;
    }

    /** Whether, if it succeeds, it is a write to a key (and so takes a revision). */
    boolean isWrite() {
        return (method.equals("PUT") || method.equals("DELETE")) && path().startsWith("/v1/kv/");
    }

    /**
     * The path the server routes on: the target's own in absolute form ({@code http://host/v1/kv/a}, which
     * HTTP/1.1 servers must accept), with percent-encoded unreserved characters decoded, as the router
     * normalizes them ({@code /v1/k%76/a} is {@code /v1/kv/a}, RFC 3986 section 6.2.2.2).
     */
    private String path() {
        String t = new String(target, StandardCharsets.ISO_8859_1);
        int scheme = t.indexOf("://");
        if (scheme > 0 && !t.startsWith("/")) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '%' && i + 2 < t.length()) {
                int hi = Character.digit(t.charAt(i + 1), 16);
                int lo = Character.digit(t.charAt(i + 2), 16);
                char decoded = (char) (hi * 16 + lo);
                if (hi >= 0 && lo >= 0 && isUnreserved(decoded)) {
                    path.append(decoded);
                    i += 2;
                    continue;
                }
            }
            path.append(c);
        }
        return path.toString();
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        StringBuilder t = new StringBuilder();
        for (byte b : target) {
            int c = b & 0xff;
            t.append(c >= 0x21 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        String shown = t.length() > 200 ? t.substring(0, 200) + "…(" + target.length + " bytes)" : t.toString();
        return method + " " + shown + " " + headers + (body == null ? "" : " body " + body.length + " bytes" + (chunked ? " chunked" : ""));
    }
}
