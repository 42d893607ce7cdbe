package io.ordinal.dashboard;

/**
 * The process that serves the page.
 *
 * @param name      its pod name ({@code kv-frontend-0} under bin/kv-local, the pod's hostname in Kubernetes)
 * @param role      {@code frontend}, {@code replica} or {@code all-in-one}
 * @param mode      {@code local} (started by bin/kv-local: the drills are on), {@code kubernetes}, or
 *                  {@code standalone}
 * @param startedAt when its process started, milliseconds since the epoch
 * @param pid       its process id
 */
public record Frontend(String name, String role, String mode, long startedAt, long pid) {
}
