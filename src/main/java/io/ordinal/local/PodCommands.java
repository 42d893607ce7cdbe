package io.ordinal.local;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** What can be done to one pod's JVM: kill it (the supervisor starts it again) or pause it for a while. */
final class PodCommands {

    private PodCommands() {
    }

    @Command(name = "delete-pod", description = "SIGKILL a pod's JVM; it comes back within ~2 s as itself")
    static final class DeletePod implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Cluster cluster = Cluster.fromEnvironment();
            Pod pod = existing(cluster, name);
            ProcessHandle jvm = running(cluster, pod);
            jvm.destroyForcibly();
            System.out.println("kv-local: pod \"" + pod + "\" deleted (SIGKILL to pid " + jvm.pid()
                    + "); it will be started again as itself");
            return 0;
        }
    }

    /** SIGSTOP, then SIGCONT from a detached process, so that the pod resumes even if the caller dies. */
    @Command(name = "pause-pod", description = "SIGSTOP a pod's JVM, and SIGCONT it SECONDS later (default 8)")
    static final class PausePod implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SECONDS", defaultValue = "8", arity = "0..1")
        String seconds;

        @Override
        public Integer call() {
            int s;
            try {
                s = Integer.parseInt(seconds);
            } catch (NumberFormatException e) {
                s = 0;
            }
            if (s < 1 || s > 300) {
                throw new KvLocalException("pause-pod: SECONDS must be a whole number from 1 to 300");
            }
            Cluster cluster = Cluster.fromEnvironment();
            Pod pod = existing(cluster, name);
            ProcessHandle jvm = running(cluster, pod);
            signal("STOP", jvm.pid());
            Detached.start(cluster, List.of(), List.of("resume", pod.name(), Long.toString(jvm.pid()), Integer.toString(s)),
                    cluster.log(pod));
            System.out.println("kv-local: pod \"" + pod + "\" paused (SIGSTOP to pid " + jvm.pid()
                    + "); it resumes (SIGCONT) in " + s + " s");
            return 0;
        }
    }

    /** The delayed half of pause-pod: resumes the JVM if it is still the one that was paused. */
    @Command(name = "resume", hidden = true)
    static final class Resume implements Callable<Integer> {
        @Parameters(index = "0")
        String name;

        @Parameters(index = "1")
        long pid;

        @Parameters(index = "2")
        int seconds;

        @Override
        public Integer call() throws InterruptedException {
            Thread.sleep(seconds * 1000L);
            Cluster cluster = Cluster.fromEnvironment();
            if (cluster.jvm(new Pod(name)).map(ProcessHandle::pid).orElse(-1L) == pid) {
                signal("CONT", pid);
                System.out.println("=== kv-local: " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                        + " " + name + " (pid " + pid + ") resumed after a pause of " + seconds + " s");
            }
            return 0;
        }
    }

    static Pod existing(Cluster cluster, String name) {
        List<Pod> pods = cluster.pods();
        Pod pod = new Pod(name);
        if (!pods.contains(pod)) {
            throw new KvLocalException("no pod named '" + name + "' (pods: "
                    + pods.stream().map(Pod::name).collect(Collectors.joining(" ")) + ")");
        }
        return pod;
    }

    static ProcessHandle running(Cluster cluster, Pod pod) {
        return cluster.jvm(pod).orElseThrow(() -> new KvLocalException(pod + " is not running"));
    }

    /** SIGSTOP and SIGCONT, which ProcessHandle does not send. */
    static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new KvLocalException("cannot send SIG" + signal + " to " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
