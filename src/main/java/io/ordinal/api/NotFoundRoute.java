package io.ordinal.api;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/** Paths nobody serves get a problem body too, not the default HTML or plain-text 404. */
public class NotFoundRoute {

    void install(@Observes Router router) {
        router.route().last().handler(ctx -> {
            String body = Json.encode(Problem.body(404, "not-found", "Not Found",
                    "no such resource: " + ctx.request().path(), Map.of()));
            ctx.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
        });
    }
}
