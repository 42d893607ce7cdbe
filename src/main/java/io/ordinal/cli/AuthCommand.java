package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Roles, tokens and bindings of a secure cluster ({@code /v1/auth/*}, security-v1.md): only the root
 * token may use them; {@code whoami} answers for any valid token. {@code get}, {@code list} and
 * {@code delete} are one command each, under every kind: the parent's name ({@code role},
 * {@code token}, {@code binding}) says which collection, {@code /v1/auth/roles} and so on.
 */
@Command(name = "auth", description = "Roles, tokens and role bindings of a secure cluster (root only), and whoami.",
        subcommands = {AuthCommand.Roles.class, AuthCommand.Tokens.class, AuthCommand.Bindings.class, AuthCommand.WhoAmI.class})
final class AuthCommand extends CommandGroup {

    private static final Map<String, String> JSON_BODY = Map.of("Content-Type", "application/json");

    @Command(name = "role", description = "Put, get, list or delete roles: read or readwrite on key prefixes.",
            subcommands = {PutRole.class, Get.class, ListAll.class, Delete.class})
    static final class Roles extends CommandGroup {
    }

    @Command(name = "token", description = "Create, list or revoke tokens.",
            subcommands = {CreateToken.class, ListAll.class, Delete.class})
    static final class Tokens extends CommandGroup {
    }

    @Command(name = "binding", description = "Put, get, list or delete bindings of JWT subjects to roles.",
            subcommands = {PutBinding.class, Get.class, ListAll.class, Delete.class})
    static final class Bindings extends CommandGroup {
    }

    @Command(name = "put", description = "Create or replace a role: its permissions are exactly those given (none is allowed).")
    static final class PutRole implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--read", paramLabel = "PREFIX", description = "read keys under PREFIX (\"\" is every key); repeatable")
        List<String> read = new ArrayList<>();
        @Option(names = "--readwrite", paramLabel = "PREFIX", description = "read and write keys under PREFIX; repeatable")
        List<String> readwrite = new ArrayList<>();

        @Override
        public void run() {
            ObjectNode body = Http.JSON.createObjectNode();
            ArrayNode permissions = body.putArray("permissions");
            read.forEach(p -> permissions.addObject().put("prefix", p).put("access", "read"));
            readwrite.forEach(p -> permissions.addObject().put("prefix", p).put("access", "readwrite"));
            put(spec, name, body);
        }
    }

    @Command(name = "put", description = "Create or replace a binding: the subject (a JWT's sub) holds these roles.")
    static final class PutBinding implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--subject", required = true, paramLabel = "SUBJECT",
                description = "the JWT's sub, e.g. system:serviceaccount:team-a:api")
        String subject;
        @Option(names = "--role", paramLabel = "ROLE", description = "a role the subject holds; repeatable")
        List<String> roles = new ArrayList<>();

        @Override
        public void run() {
            ObjectNode body = Http.JSON.createObjectNode().put("subject", subject);
            roles.forEach(body.putArray("roles")::add);
            put(spec, name, body);
        }
    }

    @Command(name = "create", description = "Issue a token with these roles; prints it, the only time it is shown.")
    static final class CreateToken implements Runnable {
        @Spec
        CommandSpec spec;
        @Option(names = "--role", paramLabel = "ROLE", description = "a role the token holds; repeatable")
        List<String> roles = new ArrayList<>();
        @Option(names = "--description", paramLabel = "TEXT", description = "what the token is for")
        String description;
        @Option(names = "--ttl", paramLabel = "SECONDS", description = "expires after this long (default: never)")
        Long ttlSeconds;

        @Override
        public void run() {
            ObjectNode body = Http.JSON.createObjectNode();
            roles.forEach(body.putArray("roles")::add);
            if (description != null) {
                body.put("description", description);
            }
            if (ttlSeconds != null) {
                body.put("ttlSeconds", ttlSeconds);
            }
            Kvctl root = Kvctl.root(spec);
            JsonNode r = root.http().send("POST", "/v1/auth/tokens", body.toString().getBytes(StandardCharsets.UTF_8), JSON_BODY).json();
            Output out = root.out(spec);
            if (out.json()) {
                out.json(r);
                return;
            }
            table(out, "token", List.of(r));
            out.line("token: " + r.path("token").asText());
            out.line("(shown only now: keep it in a file of mode 0600 and pass it with --token FILE)");
        }
    }

    @Command(name = "get", description = "Show one by name.")
    static final class Get implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            print(root.out(spec), kind(spec), root.http().send("GET", collection(spec) + "/" + segment(name), null).json(), false);
        }
    }

    @Command(name = "list", description = "List them all (a token's secret never).")
    static final class ListAll implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            print(root.out(spec), kind(spec), root.http().send("GET", collection(spec), null).json(), true);
        }
    }

    @Command(name = "delete", aliases = "revoke", description = "Delete one by name (revoke a token by its id:"
            + " every frontend refuses it within 2 s).")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            root.http().send("DELETE", collection(spec) + "/" + segment(name), null);
            root.out(spec).line(kind(spec) + " " + name + (kind(spec).equals("token") ? " revoked" : " deleted"));
        }
    }

    @Command(name = "whoami", description = "The token's subject, roles and permissions.")
    static final class WhoAmI implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            JsonNode r = root.http().send("GET", "/v1/auth/whoami", null).json();
            Output out = root.out(spec);
            if (out.json()) {
                out.json(r);
                return;
            }
            out.line("subject: " + r.path("subject").asText());
            out.line("roles:   " + joined(r.path("roles")));
            List<List<String>> rows = new ArrayList<>();
            r.path("permissions").forEach(p -> rows.add(List.of(quoted(p.path("prefix").asText()), p.path("access").asText())));
            out.table(List.of("PREFIX", "ACCESS"), rows);
        }
    }

    /** {@code role}, {@code token} or {@code binding}: the group a command runs under. */
    private static String kind(CommandSpec spec) {
        return spec.parent().name();
    }

    private static String collection(CommandSpec spec) {
        return "/v1/auth/" + kind(spec) + "s";
    }

    /** PUTs a role or binding and says whether it was created or replaced (or prints the answer as JSON). */
    private static void put(CommandSpec spec, String name, JsonNode body) {
        Kvctl root = Kvctl.root(spec);
        Http.Answer r = root.http().send("PUT", collection(spec) + "/" + segment(name),
                body.toString().getBytes(StandardCharsets.UTF_8), JSON_BODY);
        Output out = root.out(spec);
        if (out.json()) {
            out.json(r.json());
        } else {
            out.line(kind(spec) + " " + name + (r.status() == 201 ? " created" : " replaced"));
        }
    }

    /** A list's {@code items}, or one item, as JSON or as a table. */
    private static void print(Output out, String kind, JsonNode answer, boolean list) {
        if (out.json()) {
            out.json(answer);
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        if (list) {
            answer.path("items").forEach(items::add);
        } else {
            items.add(answer);
        }
        table(out, kind, items);
    }

    private static void table(Output out, String kind, List<JsonNode> items) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode i : items) {
            rows.add(switch (kind) {
                case "role" -> List.of(i.path("name").asText(), permissions(i.path("permissions")));
                case "binding" -> List.of(i.path("name").asText(), i.path("subject").asText(), joined(i.path("roles")));
                default -> List.of(i.path("id").asText(), joined(i.path("roles")),
                        i.hasNonNull("expiresAt") ? i.get("expiresAt").asText() : "never", i.path("description").asText(""));
            });
        }
        out.table(switch (kind) {
            case "role" -> List.of("NAME", "PERMISSIONS");
            case "binding" -> List.of("NAME", "SUBJECT", "ROLES");
            default -> List.of("ID", "ROLES", "EXPIRES", "DESCRIPTION");
        }, rows);
    }

    /** {@code "app/"=read,""=readwrite}: prefixes quoted, since {@code ""} (every key) is one. */
    private static String permissions(JsonNode permissions) {
        List<String> grants = new ArrayList<>();
        permissions.forEach(p -> grants.add(quoted(p.path("prefix").asText()) + "=" + p.path("access").asText()));
        return String.join(",", grants);
    }

    private static String joined(JsonNode texts) {
        List<String> all = new ArrayList<>();
        texts.forEach(t -> all.add(t.asText()));
        return String.join(",", all);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** A name as one path segment: percent-encoded as a key is, '/' too. */
    private static String segment(String name) {
        return Http.keyPath(name).substring("/v1/kv/".length()).replace("/", "%2F");
    }
}
