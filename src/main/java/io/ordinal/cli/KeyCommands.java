package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** get, put, delete and list: one key or a range of them. */
final class KeyCommands {

    private KeyCommands() {
    }

    @Command(name = "get", description = "Read a key's value and modRevision.")
    static final class Get implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--stale", description = "read any replica's local state (may lag)")
        boolean stale;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            Http.Answer a = root.http().send("GET", Http.keyPath(key) + (stale ? "?consistency=stale" : ""), null);
            String etag = a.header("ETag");
            long revision = etag == null ? 0 : Long.parseLong(etag.replace("\"", ""));
            Output out = root.out(spec);
            if (out.json()) {
                ObjectNode n = Http.JSON.createObjectNode().put("key", key)
                        .put("value", Base64.getEncoder().encodeToString(a.body())).put("modRevision", revision);
                out.json(n);
            } else {
                out.table(java.util.List.of("KEY", "MOD_REVISION", "VALUE"),
                        java.util.List.of(java.util.List.of(key, Long.toString(revision), Output.show(a.body()))));
            }
        }
    }

    @Command(name = "put", description = "Set a key's value (VALUE, or --file, or standard input with -).")
    static final class Put implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "the value; - reads standard input")
        String value;
        @Option(names = "--file", paramLabel = "FILE", description = "read the value from this file")
        Path file;
        @Option(names = "--if-revision", paramLabel = "N", description = "only if the key's modRevision is N (If-Match)")
        Long ifRevision;
        @Option(names = "--create-only", description = "only if the key does not exist (If-None-Match: *)")
        boolean createOnly;
        @Option(names = "--ttl", paramLabel = "SECONDS", description = "grant a lease of this ttl and attach the key to it")
        Long ttl;
        @Option(names = "--lease", paramLabel = "ID", description = "attach the key to this lease")
        Long lease;

        @Override
        public void run() {
            if (createOnly && ifRevision != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--create-only and --if-revision exclude each other");
            }
            if (ttl != null && lease != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ttl and --lease exclude each other");
            }
            byte[] body = body();
            Kvctl root = Kvctl.root(spec);
            Http http = root.http();
            Long attach = lease;
            if (ttl != null) {
                attach = http.send("POST", "/v1/lease", ("{\"ttl\":" + ttl + "}").getBytes(StandardCharsets.UTF_8))
                        .json().get("id").asLong();
            }
            Map<String, String> headers = new HashMap<>();
            if (ifRevision != null) {
                headers.put("If-Match", "\"" + ifRevision + "\"");
            }
            if (createOnly) {
                headers.put("If-None-Match", "*");
            }
            JsonNode r = http.send("PUT", Http.keyPath(key) + (attach == null ? "" : "?lease=" + attach), body, headers).json();
            Output out = root.out(spec);
            if (out.json()) {
                ObjectNode n = ((ObjectNode) r).deepCopy();
                if (attach != null) {
                    n.put("lease", attach);
                }
                out.json(n);
            } else {
                var header = new ArrayList<>(java.util.List.of("KEY", "REVISION", "PREVIOUS_REVISION"));
                var row = new ArrayList<>(java.util.List.of(key, r.get("revision").asText(), r.get("previousRevision").asText()));
                if (attach != null) {
                    header.add("LEASE");
                    row.add(Long.toString(attach));
                }
                out.table(header, java.util.List.of(row));
            }
        }

        private byte[] body() {
            try {
                if (file != null) {
                    return Files.readAllBytes(file);
                }
                if (value == null || value.equals("-")) {
                    return System.in.readAllBytes();
                }
                return value.getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "delete", description = "Delete a key.")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--if-revision", paramLabel = "N", description = "only if the key's modRevision is N (If-Match)")
        Long ifRevision;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            root.http().send("DELETE", Http.keyPath(key), null,
                    ifRevision == null ? Map.of() : Map.of("If-Match", "\"" + ifRevision + "\""));
            Output out = root.out(spec);
            if (out.json()) {
                out.json(Http.JSON.createObjectNode().put("key", key).put("deleted", true));
            } else {
                out.line("deleted " + key);
            }
        }
    }

    @Command(name = "list", description = "List keys in byte order, a page at a time (or --all pages).")
    static final class List implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "only keys that start with it")
        String prefix;
        @Option(names = "--after", paramLabel = "KEY", description = "start after this key")
        String after;
        @Option(names = "--limit", defaultValue = "100", description = "keys per page, 1 to 1000 (default ${DEFAULT-VALUE})")
        int limit;
        @Option(names = "--all", description = "follow every page to the end")
        boolean all;
        @Option(names = "--keys-only", description = "leave values out")
        boolean keysOnly;
        @Option(names = "--stale", description = "read any replica's local state (may lag)")
        boolean stale;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            Http http = root.http();
            Output out = root.out(spec);
            var rows = new ArrayList<java.util.List<String>>();
            String from = after;
            String next;
            do {
                StringBuilder q = new StringBuilder("/v1/kv?limit=").append(limit);
                if (prefix != null) {
                    q.append("&prefix=").append(Http.param(prefix));
                }
                if (from != null) {
                    q.append("&after=").append(Http.param(from));
                }
                if (keysOnly) {
                    q.append("&keysOnly=true");
                }
                if (stale) {
                    q.append("&consistency=stale");
                }
                JsonNode page = http.send("GET", q.toString(), null).json();
                next = page.get("next").isNull() ? null : page.get("next").asText();
                if (out.json()) {
                    out.json(page);
                } else {
                    for (JsonNode item : page.get("items")) {
                        rows.add(keysOnly ? java.util.List.of(item.get("key").asText(), item.get("revision").asText())
                                : java.util.List.of(item.get("key").asText(), item.get("revision").asText(),
                                Output.showBase64(item.get("value").asText())));
                    }
                }
                from = next;
            } while (all && next != null);
            if (!out.json()) {
                out.table(keysOnly ? java.util.List.of("KEY", "MOD_REVISION") : java.util.List.of("KEY", "MOD_REVISION", "VALUE"), rows);
                if (next != null) {
                    out.line("(more: --after " + next + ")");
                }
            }
        }
    }
}
