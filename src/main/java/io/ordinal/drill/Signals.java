package io.ordinal.drill;

/**
 * Signals to a pod's JVM, sent directly rather than through {@code bin/kv-local}, for the faults that
 * must take effect at a known instant or on several pods at once.
 */
public final class Signals {

    private Signals() {
    }

    /** SIGKILL, like {@code kubectl delete pod --grace-period=0 --force}; kv-local starts the pod again. */
    public static void kill(Pod pod) {
        ProcessHandle.of(pod.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGSTOP, as a long GC pause or a frozen VM would stop it; an IllegalStateException if kill fails. */
    public static void stop(long pid) {
        HostCommand.must("kill", "-STOP", Long.toString(pid));
    }

    /** SIGCONT; whether it worked (a process that has gone meanwhile needs no resuming). */
    public static boolean resume(long pid) {
        return HostCommand.run("kill", "-CONT", Long.toString(pid)).ok();
    }
}
