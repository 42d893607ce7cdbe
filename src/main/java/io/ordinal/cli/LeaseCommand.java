package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Leases: grant, keepalive, revoke, show. */
@Command(name = "lease", description = "Grant, keep alive, revoke or show leases.",
        subcommands = {LeaseCommand.Grant.class, LeaseCommand.KeepAlive.class, LeaseCommand.Revoke.class,
                LeaseCommand.Show.class})
final class LeaseCommand extends CommandGroup {

    @Command(name = "grant", description = "Grant a lease of TTL seconds; prints its id.")
    static final class Grant implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TTL")
        long ttl;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            JsonNode r = root.http().send("POST", "/v1/lease", ("{\"ttl\":" + ttl + "}").getBytes(StandardCharsets.UTF_8)).json();
            print(root.out(spec), r);
        }
    }

    @Command(name = "keepalive", description = "Keep a lease alive: every third of its ttl until stopped, or --once.")
    static final class KeepAlive implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        long id;
        @Option(names = "--once", description = "renew once and exit")
        boolean once;

        @Override
        public Integer call() throws InterruptedException {
            Kvctl root = Kvctl.root(spec);
            Http http = root.http();
            Output out = root.out(spec);
            while (true) {
                JsonNode r = http.send("POST", "/v1/lease/" + id + "/keepalive", new byte[0]).json();
                if (out.json()) {
                    out.json(r);
                } else {
                    out.line("lease " + r.get("id").asText() + " kept alive, ttl " + r.get("ttl").asText() + " s");
                }
                if (once) {
                    return 0;
                }
                Thread.sleep(Math.max(500, r.get("ttl").asLong() * 1000 / 3));
            }
        }
    }

    @Command(name = "revoke", description = "Revoke a lease; its keys are deleted.")
    static final class Revoke implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            JsonNode r = root.http().send("DELETE", "/v1/lease/" + id, null).json();
            Output out = root.out(spec);
            if (out.json()) {
                out.json(r);
            } else {
                out.line("lease " + id + " revoked; " + r.get("deleted").asText() + " keys deleted"
                        + (r.get("revision").asLong() > 0 ? " at revision " + r.get("revision").asText() : ""));
            }
        }
    }

    @Command(name = "show", description = "Show a lease's ttl, time left and keys.")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            JsonNode r = root.http().send("GET", "/v1/lease/" + id, null).json();
            Output out = root.out(spec);
            if (out.json()) {
                out.json(r);
                return;
            }
            StringBuilder keys = new StringBuilder();
            r.get("keys").forEach(k -> keys.append(keys.length() == 0 ? "" : ",").append(k.asText()));
            out.table(List.of("ID", "TTL", "REMAINING", "KEYS"), List.of(List.of(r.get("id").asText(), r.get("ttl").asText(),
                    r.has("remainingMillis") ? r.get("remainingMillis").asLong() / 1000.0 + " s" : "-", keys.toString())));
        }
    }

    private static void print(Output out, JsonNode r) {
        if (out.json()) {
            out.json(r);
        } else {
            out.table(List.of("ID", "TTL"), List.of(List.of(r.get("id").asText(), r.get("ttl").asText())));
        }
    }
}
