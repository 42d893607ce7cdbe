package io.ordinal.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * JSON request bodies (transactions, leases, leader transfer), read strictly: whatever the declared
 * {@code Content-Type} (so that {@code curl -d} works), a duplicate or unknown member is a 400, and a
 * missing or mistyped one too, each with a detail that names it.
 */
public final class JsonBodies {

    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonBodies() {
    }

    /** The JSON endpoints read the raw body themselves: the framework must not refuse or form-decode it. */
    public static class RawBody {
        @ServerRequestFilter(preMatching = true)
        public void rawBody(ContainerRequestContext context, HttpServerRequest request) {
            String path = request.path();
            String method = request.method().name();
            if (("POST".equals(method) && (path.equals("/v1/txn") || path.startsWith("/v1/lease")
                    || path.equals("/v1/cluster/leader"))) || path.startsWith(AccessRules.AUTH + "/")) {
                context.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_OCTET_STREAM);
            }
        }
    }

    /** Parses a body that must be one JSON object. */
    static JsonNode object(byte[] body, String what) {
        if (body == null || body.length == 0) {
            throw bad("the body must be a JSON object (" + what + "); it is empty");
        }
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("bad-json", "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw bad("the body must be a JSON object (" + what + ")");
        }
        return node;
    }

    /** Refuses members other than {@code allowed}: a misspelt member must not be silently ignored. */
    static void only(JsonNode node, String where, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw bad(where + " has an unknown member '" + name + "'; allowed: " + String.join(", ", allowed));
            }
        }
    }

    static String text(JsonNode node, String name, String where, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad(where + " needs '" + name + "' (a string)");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw bad(where + ": '" + name + "' must be a string");
        }
        return v.textValue();
    }

    /** A whole number from {@code min} to {@code max}; {@code dflt} when absent. */
    static long number(JsonNode node, String name, String where, long min, long max, Long dflt) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw bad(where + " needs '" + name + "' (a whole number from " + min + " to " + max + ")");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw bad(where + ": '" + name + "' must be a whole number from " + min + " to " + max + "; got " + v);
        }
        return v.longValue();
    }

    static boolean bool(JsonNode node, String name, String where) {
        JsonNode v = node.get(name);
        if (v == null || !v.isBoolean()) {
            throw bad(where + ": '" + name + "' must be true or false");
        }
        return v.booleanValue();
    }

    /** A key given as JSON text: 1 to 1024 bytes of UTF-8 (a lone surrogate is not UTF-8). */
    static byte[] key(JsonNode node, String name, String where, boolean mayBeEmpty) {
        byte[] key = utf8(text(node, name, where, true), where + ": '" + name + "'");
        if (key.length == 0 && mayBeEmpty) {
            return key;
        }
        Keys.validate(key, where + " " + name);
        return key;
    }

    /** A value given in Base64 (RFC 4648, standard alphabet, padded), as in listings and watch events. */
    static byte[] base64(JsonNode node, String name, String where) {
        String text = text(node, name, where, true);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw bad(where + ": '" + name + "' must be Base64 (standard alphabet, with padding): " + e.getMessage());
        }
    }

    private static byte[] utf8(String s, String what) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(s));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("bad-key", what + " is not valid Unicode (a lone surrogate)");
        }
    }

    static ApiException bad(String detail) {
        return ApiException.badRequest("bad-request-body", detail);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
