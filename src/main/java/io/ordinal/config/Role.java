package io.ordinal.config;

/** The role a process plays, chosen by {@code ordinal.role}. */
public enum Role {
    /** A Raft peer of the StatefulSet: consensus and storage, plus the API for convenience. */
    REPLICA,
    /** A stateless member of the frontend Deployment: the API over a Ratis client. */
    FRONTEND,
    /** A single replica and the frontend in one process, for dev mode and a first look. */
    ALL_IN_ONE;

    public boolean runsReplica() {
        return this != FRONTEND;
    }
}
