package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Raft group: its status, and leader transfer. */
@Command(name = "cluster", description = "Show the group's members, or hand leadership to one.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Leader.class})
final class ClusterCommand extends CommandGroup {

    @Command(name = "status", description = "The leader, the term and every member.")
    static final class Status implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            print(root.out(spec), root.http().send("GET", "/v1/cluster", null).json());
        }
    }

    @Command(name = "leader", description = "Hand leadership to TARGET (a member id such as kv-store-2).")
    static final class Leader implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TARGET")
        String target;

        @Override
        public void run() {
            Kvctl root = Kvctl.root(spec);
            String body = Http.JSON.createObjectNode().put("target", target).toString();
            print(root.out(spec), root.http().send("POST", "/v1/cluster/leader", body.getBytes(StandardCharsets.UTF_8)).json());
        }
    }

    static void print(Output out, JsonNode status) {
        if (out.json()) {
            out.json(status);
            return;
        }
        out.line("leader " + (status.get("leader").isNull() ? "(none)" : status.get("leader").asText())
                + ", term " + status.get("term").asText());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : status.get("members")) {
            rows.add(List.of(m.get("id").asText(), m.get("role").asText(), m.get("address").asText(),
                    m.get("commitIndex").asText(), m.get("appliedIndex").asText()));
        }
        out.table(List.of("ID", "ROLE", "ADDRESS", "COMMIT_INDEX", "APPLIED_INDEX"), rows);
    }
}
