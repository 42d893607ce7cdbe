package io.ordinal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code kvctl}: a command-line client of API v1. Every command is one or a few HTTP requests to the
 * endpoint ({@code --endpoint}, else {@code $KV_ENDPOINT}, else the local cluster's
 * {@code https://127.0.0.1:8443} when {@code bin/kv-local up --secure} runs it, else
 * {@code http://127.0.0.1:8080}); answers are printed as tables, or with {@code -o json} as JSON. A
 * problem answer (a 401 or 403 too) or a failed TLS handshake is printed to standard error and the exit
 * status is 1; a usage error is 2. Over https the server's certificate must be signed by
 * {@code --cacert} (else the JDK's trusted CAs), and {@code --token} is sent as a bearer token.
 *
 * <p>A plain main beside the server (not Quarkus's command mode, which would replace the server's
 * main): {@code bin/kvctl} runs it with the application's classpath.
 */
@Command(name = "kvctl", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, version = "kvctl (Ordinal API v1)",
        description = "Command-line client of an Ordinal key-value store.",
        subcommands = {KeyCommands.Get.class, KeyCommands.Put.class, KeyCommands.Delete.class, KeyCommands.List.class,
                WatchCommand.class, TxnCommand.class, LeaseCommand.class, ClusterCommand.class, AuthCommand.class,
                CommandLine.HelpCommand.class})
public final class Kvctl implements Runnable {

    enum Format { table, json }

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL", defaultValue = "${env:KV_ENDPOINT}",
            description = "API endpoint; default $KV_ENDPOINT, else the local cluster's https://127.0.0.1:8443 when"
                    + " bin/kv-local up --secure runs it, else http://127.0.0.1:8080")
    String endpoint;

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "FILE", defaultValue = "${env:KV_CACERT}",
            description = "trust only this CA (PEM) for https; default $KV_CACERT, else the local secure cluster's")
    java.nio.file.Path cacert;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "FILE", defaultValue = "${env:KV_TOKEN_FILE}",
            description = "send the token in FILE (one line) as a bearer token; default $KV_TOKEN_FILE, else the"
                    + " local secure cluster's root token")
    java.nio.file.Path token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table",
            description = "table (default) or json")
    Format output;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "10", paramLabel = "SECONDS",
            description = "give up on a request after this long (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with kvctl's error handling: a problem answer is exit status 1, with its detail. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Kvctl());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e instanceof Http.Failure f ? f.getMessage() : e.toString();
            commandLine.getErr().println("kvctl: " + message);
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    /** The root command's options, from any subcommand. */
    static Kvctl root(CommandSpec spec) {
        return (Kvctl) spec.root().userObject();
    }

    Http http() {
        return new Http(Target.resolve(endpoint, cacert, token, Target.localCluster()), java.time.Duration.ofSeconds(timeoutSeconds));
    }

    Output out(CommandSpec spec) {
        return new Output(spec.commandLine().getOut(), output == Format.json);
    }
}
