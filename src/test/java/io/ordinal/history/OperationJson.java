package io.ordinal.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordinal.history.Request.Create;
import io.ordinal.history.Request.Delete;
import io.ordinal.history.Request.DeleteIfMatch;
import io.ordinal.history.Request.Put;
import io.ordinal.history.Request.PutIfMatch;
import io.ordinal.history.Request.Read;
import io.ordinal.history.Response.Deleted;
import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.NotFound;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Unknown;
import io.ordinal.history.Response.Written;

import java.util.Locale;

/**
 * One operation as one line of JSON — the saved form of a history, meant to stay readable by later
 * versions of the checker, so fields are only ever added. Fields, in this order:
 * <pre>
 * client            int
 * key               string
 * invokedAt         long, System.nanoTime()
 * completedAt       long; for outcome "unknown", when the client gave up
 * request           "read" | "put" | "putIfMatch" | "create" | "delete" | "deleteIfMatch"
 * ifMatch           long, for putIfMatch and deleteIfMatch
 * outcome           "ok" | "failed" | "unknown" (derived from the response; checked when read back)
 * response          "found" | "notFound" | "written" | "deleted" | "preconditionFailed" | "unknown"
 * value             string: the value a write sends, or the value a read found
 * modRevision       long, for found
 * revision, previousRevision   long, for written
 * currentRevision   long, for preconditionFailed
 * </pre>
 * Example: {@code {"client":3,"key":"k","invokedAt":100,"completedAt":250,"request":"put","outcome":"ok","response":"written","value":"v7","revision":15,"previousRevision":12}}
 */
final class OperationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OperationJson() {
    }

    static String toLine(Operation op) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("client", op.client());
        node.put("key", op.key());
        node.put("invokedAt", op.invokedAt());
        node.put("completedAt", op.completedAt());
        Request request = op.request();
        node.put("request", requestName(request));
        if (request instanceof PutIfMatch cas) {
            node.put("ifMatch", cas.revision());
        } else if (request instanceof DeleteIfMatch delete) {
            node.put("ifMatch", delete.revision());
        }
        node.put("outcome", op.outcome().name().toLowerCase(Locale.ROOT));
        Response response = op.response();
        node.put("response", responseName(response));
        if (request.writtenValue() != null) {
            node.put("value", request.writtenValue());
        }
        if (response instanceof Found found) {
            node.put("value", found.value());
            node.put("modRevision", found.modRevision());
        } else if (response instanceof Written written) {
            node.put("revision", written.revision());
            node.put("previousRevision", written.previousRevision());
        } else if (response instanceof PreconditionFailed failed) {
            node.put("currentRevision", failed.currentRevision());
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + op, e);
        }
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    static Operation fromLine(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String requestName = text(node, "request");
        Request request = switch (requestName) {
            case "read" -> new Read();
            case "put" -> new Put(text(node, "value"));
            case "putIfMatch" -> new PutIfMatch(text(node, "value"), number(node, "ifMatch"));
            case "create" -> new Create(text(node, "value"));
            case "delete" -> new Delete();
            case "deleteIfMatch" -> new DeleteIfMatch(number(node, "ifMatch"));
            default -> throw new IllegalArgumentException("unknown request \"" + requestName + '"');
        };
        String responseName = text(node, "response");
        Response response = switch (responseName) {
            case "found" -> new Found(text(node, "value"), number(node, "modRevision"));
            case "notFound" -> new NotFound();
            case "written" -> new Written(number(node, "revision"), number(node, "previousRevision"));
            case "deleted" -> new Deleted();
            case "preconditionFailed" -> new PreconditionFailed(number(node, "currentRevision"));
            case "unknown" -> new Unknown();
            default -> throw new IllegalArgumentException("unknown response \"" + responseName + '"');
        };
        Operation op = new Operation((int) number(node, "client"), text(node, "key"),
                number(node, "invokedAt"), number(node, "completedAt"), request, response);
        if (node.has("outcome") && !node.get("outcome").asText().equalsIgnoreCase(op.outcome().name())) {
            throw new IllegalArgumentException("outcome \"" + node.get("outcome").asText() + "\" contradicts the response: " + op.describe());
        }
        return op;
    }

    private static String requestName(Request request) {
        if (request instanceof Read) {
            return "read";
        } else if (request instanceof Put) {
            return "put";
        } else if (request instanceof PutIfMatch) {
            return "putIfMatch";
        } else if (request instanceof Create) {
            return "create";
        } else if (request instanceof Delete) {
            return "delete";
        }
        return "deleteIfMatch";
    }

    private static String responseName(Response response) {
        if (response instanceof Found) {
            return "found";
        } else if (response instanceof NotFound) {
            return "notFound";
        } else if (response instanceof Written) {
            return "written";
        } else if (response instanceof Deleted) {
            return "deleted";
        } else if (response instanceof PreconditionFailed) {
            return "preconditionFailed";
        }
        return "unknown";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        return value.asLong();
    }
}
