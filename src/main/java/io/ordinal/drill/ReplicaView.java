package io.ordinal.drill;

/** A replica's view of itself and of the group ({@code GET /v1/replica} on its own HTTP port). */
public record ReplicaView(String id, String role, long term, String leader, long commitIndex, long appliedIndex) {

    public boolean leads() {
        return "LEADER".equals(role);
    }
}
