package io.ordinal.api;

import io.ordinal.client.Consistency;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Map;

/**
 * Query parameters read strictly from the raw query string: a bad value is a 400, never a guess. A
 * parameter the endpoint reads must appear at most once; unknown parameters are ignored.
 */
final class QueryParams {

    private final Map<String, List<String>> raw;

    private QueryParams(Map<String, List<String>> raw) {
        this.raw = raw;
    }

    static QueryParams of(HttpServerRequest request) {
        return new QueryParams(Keys.rawQuery(request.query()));
    }

    /** The one raw value of a parameter, null when absent; given twice it is ambiguous, so a 400. */
    private String raw(String name) {
        List<String> values = raw.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("bad-parameter", "the query parameter " + name + " is given "
                    + values.size() + " times; give it at most once");
        }
        return values.get(0);
    }

    String text(String name) {
        String v = raw(name);
        return v == null ? null : Keys.utf8(Keys.percentDecode(v, true, name), name);
    }

    /** A key-like parameter (prefix, after): UTF-8, at most 1024 bytes; null when absent. */
    byte[] keyBytes(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        byte[] bytes = Keys.percentDecode(v, true, name);
        Keys.utf8(bytes, name);
        if (bytes.length > Keys.MAX_KEY_BYTES) {
            throw ApiException.badRequest("bad-parameter", name + " is " + bytes.length
                    + " bytes long; at most " + Keys.MAX_KEY_BYTES);
        }
        return bytes;
    }

    int integer(String name, int dflt, int min, int max) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim().equals(v) ? v : "x");
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("bad-parameter", name + " must be a whole number from " + min + " to " + max
                + "; got '" + v + "'");
    }

    /** A positive whole number (a lease id, a revision); 0 when absent. */
    long positiveLong(String name) {
        String v = text(name);
        if (v == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n > 0 && v.equals(Long.toString(n))) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("bad-parameter", name + " must be a positive whole number; got '" + v + "'");
    }

    boolean bool(String name) {
        String v = text(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("bad-parameter", name + " must be true or false; got '" + v + "'");
    }

    Consistency consistency() {
        String v = text("consistency");
        Consistency c = Consistency.parse(v);
        if (c == null) {
            throw ApiException.badRequest("bad-parameter", "consistency must be linearizable or stale; got '" + v + "'");
        }
        return c;
    }
}
