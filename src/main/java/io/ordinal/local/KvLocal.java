package io.ordinal.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * {@code kv-local}: the StatefulSet controller and the frontend Deployment, on one machine
 * (docs/local-cluster.md). Each pod is a JVM under the cluster's supervisor, which starts it again,
 * with the same name, ports and data directory, whenever it dies.
 *
 * <p>A plain main beside the server, as kvctl is: {@code bin/kv-local} builds the application if it
 * is missing and runs this with the application's classpath. Everything it needs to find a cluster
 * comes from the environment ({@code KV_LOCAL_HOME}, {@code KV_HTTP_PORT}, ...) and from the checkout
 * ({@code -Dkv.local.checkout}, set by the wrapper).
 */
@Command(name = "kv-local", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "The local cluster: replicas kv-store-0..N-1 and frontends kv-frontend-j, each a JVM"
                + " that is started again as itself whenever it dies.",
        footer = "data and logs: $KV_LOCAL_HOME, default <checkout>/.kv-local (logs/<pod>.log)",
        subcommands = {UpCommand.class, StatusCommand.class, PodCommands.DeletePod.class, PodCommands.PausePod.class,
                DownCommand.class, ScaleCommand.class, KvLocal.Supervise.class, PodCommands.Resume.class,
                CommandLine.HelpCommand.class})
public final class KvLocal implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KvLocal());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("kv-local: " + (e instanceof KvLocalException ? e.getMessage() : e.toString()));
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    /** The supervisor's own process, started detached by {@code up}; not for people. */
    @Command(name = "supervise", hidden = true)
    static final class Supervise implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            new Supervisor(Cluster.fromEnvironment()).run();
            return 0;
        }
    }
}
