package io.ordinal.local;

/**
 * A pod of the local cluster, named as in Kubernetes: {@code kv-store-i} (a replica of the
 * StatefulSet) or {@code kv-frontend-j} (the frontend Deployment). Its identity comes from the name alone.
 */
record Pod(String name) {

    static final String REPLICA_PREFIX = "kv-store-";
    static final String FRONTEND_PREFIX = "kv-frontend-";

    static Pod replica(int ordinal) {
        return new Pod(REPLICA_PREFIX + ordinal);
    }

    static Pod frontend(int ordinal) {
        return new Pod(FRONTEND_PREFIX + ordinal);
    }

    /** True for a name kv-local gives its pods (the directories under run/ are named so). */
    static boolean isPodName(String name) {
        return name.matches("(" + REPLICA_PREFIX + "|" + FRONTEND_PREFIX + ")[0-9]+");
    }

    boolean isFrontend() {
        return name.startsWith(FRONTEND_PREFIX);
    }

    int ordinal() {
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    @Override
    public String toString() {
        return name;
    }
}
