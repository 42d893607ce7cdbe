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
        return (method.equals("PUT") || method.equals("DELETE"))
                && new String(target, StandardCharsets.ISO_8859_1).startsWith("/v1/kv/");
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
