package io.ordinal.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ordinal.command.Command;
import io.ordinal.command.Compare;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A transaction's JSON, both ways: the request body to a {@link Command.Txn} (checked against the
 * limits) and the state machine's {@link TxnResult} to the answer. Translation only: what a
 * transaction does is decided by the state machine.
 */
final class Txns {

    private static final Set<String> TOP = Set.of("compare", "success", "failure");
    private static final Set<String> COMPARE = Set.of("key", "op", "modRevision", "createRevision", "value", "exists");
    private static final List<String> OPERANDS = List.of("modRevision", "createRevision", "value", "exists");

    private final int maxOps;
    private final int maxBytes;
    private final int maxValueBytes;
    private int ops;
    private long bytes;

    private Txns(int maxOps, int maxBytes, int maxValueBytes) {
        this.maxOps = maxOps;
        this.maxBytes = maxBytes;
        this.maxValueBytes = maxValueBytes;
    }

    static Command.Txn parse(byte[] body, int maxOps, int maxBytes, int maxValueBytes) {
        return new Txns(maxOps, maxBytes, maxValueBytes).parse(JsonBodies.object(body, "a transaction"));
    }

    private Command.Txn parse(JsonNode root) {
        JsonBodies.only(root, "the transaction", TOP);
        List<Compare> compares = new ArrayList<>();
        for (JsonNode c : array(root, "compare")) {
            compares.add(compare(c, "compare[" + compares.size() + "]"));
        }
        List<TxnOp> success = ops(root, "success");
        List<TxnOp> failure = ops(root, "failure");
        if (ops > maxOps) {
            throw new ApiException(400, "too-many-operations", "Bad Request", "the transaction has " + ops
                    + " compares and operations; the limit is " + maxOps, java.util.Map.of("limit", maxOps));
        }
        if (bytes > maxBytes) {
            throw new ApiException(413, "transaction-too-large", "Content Too Large", "the transaction's keys and values are "
                    + bytes + " bytes; the limit is " + maxBytes + " bytes", java.util.Map.of("limit", maxBytes));
        }
        return new Command.Txn(compares, success, failure);
    }

    private Iterable<JsonNode> array(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw JsonBodies.bad("'" + name + "' must be an array");
        }
        ops += v.size();
        if (ops > maxOps) {
            throw new ApiException(400, "too-many-operations", "Bad Request", "the transaction has more than "
                    + maxOps + " compares and operations", java.util.Map.of("limit", maxOps));
        }
        return v;
    }

    private Compare compare(JsonNode c, String where) {
        if (!c.isObject()) {
            throw JsonBodies.bad(where + " must be an object");
        }
        JsonBodies.only(c, where, COMPARE);
        byte[] key = JsonBodies.key(c, "key", where, false);
        bytes += key.length;
        List<String> given = OPERANDS.stream().filter(c::has).toList();
        if (given.size() != 1) {
            throw JsonBodies.bad(where + " must compare exactly one of modRevision, createRevision, value or exists; got "
                    + (given.isEmpty() ? "none" : String.join(", ", given)));
        }
        String text = JsonBodies.text(c, "op", where, false);
        Compare.Op op = switch (text == null ? "=" : text) {
            case "=", "==" -> Compare.Op.EQUAL;
            case "!=" -> Compare.Op.NOT_EQUAL;
            case "<" -> Compare.Op.LESS;
            case ">" -> Compare.Op.GREATER;
            default -> throw JsonBodies.bad(where + ": 'op' must be one of =, !=, <, >; got '" + text + "'");
        };
        return switch (given.get(0)) {
            case "modRevision" -> new Compare(key, Compare.Target.MOD_REVISION, op,
                    JsonBodies.number(c, "modRevision", where, 0, Long.MAX_VALUE, null), null);
            case "createRevision" -> new Compare(key, Compare.Target.CREATE_REVISION, op,
                    JsonBodies.number(c, "createRevision", where, 0, Long.MAX_VALUE, null), null);
            case "value" -> {
                byte[] value = JsonBodies.base64(c, "value", where);
                bytes += value.length;
                yield new Compare(key, Compare.Target.VALUE, op, 0, value);
            }
            default -> {
                if (op != Compare.Op.EQUAL && op != Compare.Op.NOT_EQUAL) {
                    throw JsonBodies.bad(where + ": 'exists' compares with = or != only");
                }
                yield new Compare(key, Compare.Target.EXISTS, op, JsonBodies.bool(c, "exists", where) ? 1 : 0, null);
            }
        };
    }

    /** A branch; as in etcd, a key may be written (put, delete, or under a deleted prefix) once per branch. */
    private List<TxnOp> ops(JsonNode root, String branch) {
        List<TxnOp> list = new ArrayList<>();
        List<byte[]> written = new ArrayList<>();
        List<byte[]> deletedPrefixes = new ArrayList<>();
        Set<String> writtenKeys = new HashSet<>();
        for (JsonNode o : array(root, branch)) {
            String where = branch + "[" + list.size() + "]";
            if (!o.isObject()) {
                throw JsonBodies.bad(where + " must be an object");
            }
            String op = JsonBodies.text(o, "op", where, true);
            TxnOp parsed = switch (op) {
                case "put" -> {
                    JsonBodies.only(o, where, Set.of("op", "key", "value", "lease"));
                    byte[] key = JsonBodies.key(o, "key", where, false);
                    byte[] value = JsonBodies.base64(o, "value", where);
                    if (value.length > maxValueBytes) {
                        throw ApiException.tooLarge(where + ": the value is " + value.length + " bytes; the limit is "
                                + maxValueBytes + " bytes", maxValueBytes);
                    }
                    bytes += key.length + value.length;
                    written.add(key);
                    yield new TxnOp.Put(key, value, JsonBodies.number(o, "lease", where, 0, Long.MAX_VALUE, 0L));
                }
                case "delete" -> {
                    JsonBodies.only(o, where, Set.of("op", "key"));
                    byte[] key = JsonBodies.key(o, "key", where, false);
                    bytes += key.length;
                    written.add(key);
                    yield new TxnOp.Delete(key);
                }
                case "get" -> {
                    JsonBodies.only(o, where, Set.of("op", "key"));
                    byte[] key = JsonBodies.key(o, "key", where, false);
                    bytes += key.length;
                    yield new TxnOp.Get(key);
                }
                case "deletePrefix" -> {
                    JsonBodies.only(o, where, Set.of("op", "prefix"));
                    byte[] prefix = JsonBodies.key(o, "prefix", where, true);
                    bytes += prefix.length;
                    deletedPrefixes.add(prefix);
                    yield new TxnOp.DeletePrefix(prefix);
                }
                default -> throw JsonBodies.bad(where + ": 'op' must be put, delete, get or deletePrefix; got '" + op + "'");
            };
            list.add(parsed);
        }
        for (byte[] key : written) {
            String k = Keys.utf8(key, "key");
            if (!writtenKeys.add(k)) {
                throw duplicate(branch, "key '" + k + "' is written twice");
            }
            for (byte[] prefix : deletedPrefixes) {
                if (startsWith(key, prefix)) {
                    throw duplicate(branch, "key '" + k + "' is also under the deleted prefix '" + Keys.utf8(prefix, "prefix") + "'");
                }
            }
        }
        return list;
    }

    private static ApiException duplicate(String branch, String detail) {
        return ApiException.badRequest("duplicate-key", "in '" + branch + "', " + detail
                + "; a transaction writes each key at most once per branch (as etcd's)");
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The answer to a transaction, one result per operation of the branch that ran. */
    static TxnResponse response(Command.Txn txn, TxnResult result) {
        List<TxnOp> ops = result.succeeded() ? txn.success() : txn.failure();
        List<OpResult> results = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            TxnOp op = ops.get(i);
            TxnResult.OpResult r = result.results().get(i);
            if (op instanceof TxnOp.Put put) {
                results.add(new OpResult("put", utf8(put.key()), null, result.revision(),
                        ((TxnResult.Put) r).previousRevision(), null, null, null, null, null, null));
            } else if (op instanceof TxnOp.Delete delete) {
                long previous = ((TxnResult.Delete) r).previousRevision();
                results.add(new OpResult("delete", utf8(delete.key()), null, null, previous, previous == 0 ? 0L : 1L,
                        null, null, null, null, null));
            } else if (op instanceof TxnOp.DeletePrefix deletePrefix) {
                results.add(new OpResult("deletePrefix", null, utf8(deletePrefix.prefix()), null, null,
                        ((TxnResult.DeletePrefix) r).deleted(), null, null, null, null, null));
            } else {
                TxnResult.Get got = (TxnResult.Get) r;
                String key = utf8(((TxnOp.Get) op).key());
                results.add(got.found() == null
                        ? new OpResult("get", key, null, null, null, null, false, null, null, null, null)
                        : new OpResult("get", key, null, null, null, null, true,
                                Base64.getEncoder().encodeToString(got.found().value()), got.found().modRevision(),
                                got.createRevision(), got.lease() == 0 ? null : got.lease()));
            }
        }
        return new TxnResponse(result.succeeded(), result.revision(), results);
    }

    private static String utf8(byte[] b) {
        return Keys.utf8(b, "key");
    }

    /** The answer to {@code POST /v1/txn}. */
    @Schema(description = "succeeded: whether every compare held (then success ran, else failure); revision: the "
            + "revision all the transaction's writes share, or the store's revision when it wrote nothing")
    public record TxnResponse(boolean succeeded, long revision, List<OpResult> results) {
    }

    /** One operation's result; members that do not apply to its op are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OpResult(String op, String key, String prefix, Long revision, Long previousRevision, Long deleted,
                           Boolean found, String value, Long modRevision, Long createRevision, Long lease) {
    }

    /** For the OpenAPI document: the request body. */
    @Schema(description = "compare: conditions, all of which must hold; success: operations run if they all hold; "
            + "failure: operations run otherwise")
    public record TxnRequest(List<CompareJson> compare, List<OpJson> success, List<OpJson> failure) {
    }

    @Schema(description = "Exactly one of modRevision, createRevision, value (Base64) or exists; op is =, !=, < or > "
            + "(default =; exists takes = or != only). An absent key has modRevision and createRevision 0, and a value "
            + "compare on it never holds.")
    public record CompareJson(String key, String op, Long modRevision, Long createRevision, String value, Boolean exists) {
    }

    @Schema(description = "op: put (key, value in Base64, optional lease), get (key), delete (key), deletePrefix (prefix)")
    public record OpJson(String op, String key, String value, Long lease, String prefix) {
    }
}
