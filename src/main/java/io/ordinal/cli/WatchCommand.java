package io.ordinal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows changes as the server streams them, one line per change; when the stream breaks it
 * reconnects and resumes after the last change it printed (its event id as Last-Event-ID, which
 * points inside a revision when the stream broke there), as a browser would.
 */
@Command(name = "watch", description = "Print changes to a key (or every key under --prefix) as they happen.")
final class WatchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--prefix", paramLabel = "PREFIX", description = "every key that starts with it")
        String prefix;
    }

    @Option(names = "--from-revision", paramLabel = "N", description = "start at revision N (inclusive); default: now")
    Long fromRevision;

    @Option(names = "--count", paramLabel = "N", description = "exit after N changes")
    Long count;

    @Override
    public Integer call() throws Exception {
        Kvctl root = Kvctl.root(spec);
        Http http = root.http();
        Output out = root.out(spec);
        if (!out.json()) {
            out.line(String.format("%-10s %-7s %s", "REVISION", "TYPE", "KEY  VALUE"));
        }
        String query = target.key != null ? "key=" + Http.param(target.key) : "prefix=" + Http.param(target.prefix);
        if (fromRevision != null) {
            query += "&fromRevision=" + fromRevision;
        }
        String lastId = null;
        long printed = 0;
        int failures = 0;
        while (true) {
            Map<String, String> headers = new HashMap<>();
            if (lastId != null) {
                headers.put("Last-Event-ID", lastId);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.stream("/v1/watch?" + query, headers);
            } catch (IOException e) {
                if (++failures > 5) {
                    throw new Http.Failure(0, "no answer from " + root.endpoint + ": " + e);
                }
                Thread.sleep(1000);
                continue;
            }
            if (response.statusCode() != 200) {
                throw Http.problem(response.statusCode(), response.body().readAllBytes());
            }
            failures = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String event = "message";
                StringBuilder data = null;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(":")) {
                        continue;
                    }
                    if (!line.isEmpty()) {
                        int colon = line.indexOf(':');
                        String field = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                        switch (field) {
                            case "id" -> id = value;
                            case "event" -> event = value;
                            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                            default -> { }
                        }
                        continue;
                    }
                    if (data == null) {
                        continue;
                    }
                    JsonNode change = Http.JSON.readTree(data.toString());
                    if (!event.equals("message")) {
                        // compacted, overflow or error: the server ended the stream and says why
                        if (event.equals("overflow") || event.equals("error")) {
                            break; // resume after what was printed
                        }
                        throw new Http.Failure(410, "the watch fell behind the history (oldest revision "
                                + change.path("oldestRevision").asText() + "); read again and watch from there");
                    }
                    lastId = id;
                    if (out.json()) {
                        out.json(change);
                    } else {
                        out.line(String.format("%-10s %-7s %s%s", change.get("modRevision").asText(), change.get("type").asText(),
                                change.get("key").asText(),
                                change.has("value") ? "  " + Output.showBase64(change.get("value").asText()) : ""));
                    }
                    data = null;
                    event = "message";
                    if (count != null && ++printed >= count) {
                        return 0;
                    }
                }
            } catch (IOException e) {
                // the stream broke: resume after the last change printed
            }
        }
    }
}
