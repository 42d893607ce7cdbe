package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a transaction from a JSON file (the body of POST /v1/txn; see docs/api.md). */
@Command(name = "txn", description = "Run a transaction from a JSON file (- for standard input).")
final class TxnCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    String file;

    @Override
    public void run() {
        byte[] body;
        try {
            body = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kvctl root = Kvctl.root(spec);
        JsonNode r = root.http().send("POST", "/v1/txn", body).json();
        Output out = root.out(spec);
        if (out.json()) {
            out.json(r);
            return;
        }
        out.line((r.get("succeeded").asBoolean() ? "SUCCEEDED" : "FAILED") + " at revision " + r.get("revision").asText());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode op : r.get("results")) {
            String name = op.get("op").asText();
            rows.add(switch (name) {
                case "put" -> List.of(name, op.get("key").asText(), "previousRevision " + op.get("previousRevision").asText());
                case "delete" -> List.of(name, op.get("key").asText(), "deleted " + op.get("deleted").asText());
                case "deletePrefix" -> List.of(name, op.get("prefix").asText(), "deleted " + op.get("deleted").asText());
                default -> List.of(name, op.get("key").asText(), op.get("found").asBoolean()
                        ? "modRevision " + op.get("modRevision").asText() + "  " + Output.showBase64(op.get("value").asText())
                        : "(absent)");
            });
        }
        if (!rows.isEmpty()) {
            out.table(List.of("OP", "KEY", "RESULT"), rows);
        }
    }
}
