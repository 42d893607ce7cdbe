package io.ordinal.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Refuses a request target that is not a valid URI, with a 400 problem, before any route sees it.
 * Quarkus makes this check itself, ahead of every route, but answers an empty 400; {@link
 * DeferredUriValidation} hands the check over to this filter, which runs first among the routes:
 * <ul>
 *   <li>a malformed percent-escape ({@code /v1/kv/%zz}, {@code /v1/kv/a%2}, {@code ?prefix=%}) is a
 *       {@code bad-encoding} problem;</li>
 *   <li>anything else {@link URI} refuses ({@code |}, {@code "}, {@code <}, control characters) is a
 *       {@code bad-uri} problem, as strict as Quarkus's own check, with one difference: the HTTP server
 *       reads the request line as ISO-8859-1, so a character from U+0080 to U+00FF is a raw byte the
 *       client sent unencoded, not a control or space character, and it is allowed (the key or parameter
 *       it is part of must then be valid UTF-8).</li>
 * </ul>
 */
@ApplicationScoped
class RequestTargetCheck {

    /** Ahead of every route of the HTTP server (a filter's route order is minus its priority). */
    static final int PRIORITY = 100_000;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        try {
            if (request.uri() == null || request.path() == null) {
                throw ApiException.badRequest("bad-uri", "the request has no target path");
            }
            Keys.checkEscapes(request.path(), "path");
            if (request.query() != null) {
                Keys.checkEscapes(request.query(), "query string");
            }
            checkSyntax(request.uri());
        } catch (ApiException e) {
            ProblemMapper.answer(request, e);
            return;
        }
        context.next();
    }

    static void checkSyntax(String requestTarget) {
        char[] chars = requestTarget.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 0x80 && chars[i] <= 0xFF) {
                chars[i] = 'b'; // a raw byte: allowed, and checked as UTF-8 where it is decoded
            }
        }
        try {
            new URI(new String(chars));
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("bad-uri", "the request target is not a valid URI: " + e.getReason()
                    + " at index " + e.getIndex() + "; percent-encode such characters (%7C for |, %22 for \")");
        }
    }
}
