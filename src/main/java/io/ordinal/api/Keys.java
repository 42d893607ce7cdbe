package io.ordinal.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys and query parameters, decoded from the raw request line strictly: a key is the rest of the
 * path after {@code /v1/kv/}, percent-decoded to bytes ({@code %2F} is {@code /}, {@code +} is a
 * literal plus), and must be valid UTF-8 of 1 to 1024 bytes. Nothing is ever replaced silently.
 */
final class Keys {

    static final int MAX_KEY_BYTES = 1024;
    private static final String KV_PATH = "/v1/kv/";

    private Keys() {
    }

    /** The key named by a raw (undecoded) request path under {@code /v1/kv/}. */
    static byte[] fromRawPath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(KV_PATH)) {
            throw ApiException.badRequest("bad-key", "the key is the rest of the path after " + KV_PATH);
        }
        byte[] key = percentDecode(rawPath.substring(KV_PATH.length()), false, "key");
        validate(key, "key");
        return key;
    }

    /** Checks a key: 1 to 1024 bytes of valid UTF-8. */
    static void validate(byte[] key, String what) {
        if (key.length == 0) {
            throw ApiException.badRequest("bad-key", "the " + what + " is empty; a key is 1 to "
                    + MAX_KEY_BYTES + " bytes");
        }
        if (key.length > MAX_KEY_BYTES) {
            throw ApiException.badRequest("bad-key", "the " + what + " is " + key.length
                    + " bytes long; a key is at most " + MAX_KEY_BYTES + " bytes (UTF-8)");
        }
        utf8(key, what);
    }

    /** Decodes bytes as UTF-8, refusing malformed input rather than replacing it. */
    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("bad-key", "the " + what + " is not valid UTF-8 after percent-decoding");
        }
    }

    /**
     * Percent-decodes a raw path or query component into bytes. The HTTP server reads the request line
     * as ISO-8859-1, so a character from U+0080 to U+00FF stands for one raw byte that the client
     * sent unencoded: it is taken as that byte, and the bytes are checked as UTF-8 later, like
     * percent-encoded ones ({@code é} sent raw and {@code %C3%A9} name the same key).
     *
     * @param plusIsSpace true in a query string (form encoding), false in a path, where {@code +} is a plus
     */
    static byte[] percentDecode(String raw, boolean plusIsSpace, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.write(escapedByte(raw, i, what));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c <= 0xFF) {
                out.write(c);
            } else {
                // Not from an HTTP/1.1 request line; never guess an encoding for it.
                throw ApiException.badRequest("bad-encoding", "the " + what
                        + " has a character that is not a byte; percent-encode its UTF-8 bytes");
            }
        }
        return out.toByteArray();
    }

    /**
     * Refuses a malformed percent-escape anywhere in a raw path or query string: a {@code %} that is
     * not followed by two hexadecimal digits.
     */
    static void checkEscapes(String raw, String what) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 3)) {
            escapedByte(raw, i, what);
        }
    }

    private static int escapedByte(String raw, int i, String what) {
        if (i + 2 >= raw.length()) {
            throw ApiException.badRequest("bad-encoding", "the " + what + " has a truncated percent-escape '"
                    + raw.substring(i) + "': a % must be followed by two hexadecimal digits (%25 is a literal %)");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
            throw ApiException.badRequest("bad-encoding", "the " + what + " has a malformed percent-escape '"
                    + raw.substring(i, i + 3) + "': a % must be followed by two hexadecimal digits (%25 is a literal %)");
        }
        return hi << 4 | lo;
    }

    /**
     * The raw query string's parameters, name → every raw value in order. Names are decoded; values
     * are decoded by whoever reads them.
     */
    static Map<String, List<String>> rawQuery(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(utf8(percentDecode(name, true, "query parameter name"), "query parameter name"),
                    n -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
