package io.ordinal.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts kv-local itself again as a detached process (the supervisor, the delayed resume of a paused
 * pod): in a session of its own, so that it outlives the command that started it and the terminal
 * it ran in, with its output in a log file rather than a pipe that a caller might wait on.
 */
final class Detached {

    private Detached() {
    }

    static Process start(Cluster cluster, List<String> jvmOptions, List<String> args, Path log) {
        List<String> cmd = new ArrayList<>();
        if (onPath("setsid")) {
            cmd.add("setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse(PodJvm.java(cluster)));
        cmd.addAll(List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(jvmOptions);
        // The classpath as the wrapper gives it, not expanded: the JDK reads no arguments at all of a
        // process whose command line is longer than 4 KiB, and kv-local finds its supervisor by them.
        Path app = cluster.app();
        cmd.addAll(List.of("-Dkv.local.checkout=" + cluster.checkout, "-Dkv.local.home=" + cluster.home,
                "-cp", app.resolve("app") + "/*:" + app.resolve("lib/main") + "/*", KvLocal.class.getName()));
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(cluster.identity());
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
