package io.ordinal.replica;

/**
 * What a replica says of itself, asking no other replica ({@code GET /v1/replica}): its Raft view, and
 * its process and volume, from which the dashboard tells a restart from a pause.
 *
 * @param id                 the pod name, also the Raft peer id
 * @param role               LEADER, FOLLOWER, CANDIDATE or LISTENER
 * @param term               its current term
 * @param leader             the leader it knows, or null
 * @param commitIndex        the highest log index it knows to be committed
 * @param appliedIndex       the highest log index it has applied
 * @param startedAt          when its process started, in milliseconds since the epoch: a new value means
 *                           a new process (the pod was restarted or re-created), the same one a pause
 * @param pid                its process id (1 in a container)
 * @param starts             how many times a replica has started on this volume, this start included
 * @param dataSizeBytes      size of its RocksDB data (SST files and memtables)
 * @param snapshotIndex      log index of the latest snapshot it holds (taken or installed), 0 when none
 * @param snapshotsInstalled snapshots it installed from the leader since its process started
 */
public record ReplicaReport(String id, String role, long term, String leader, long commitIndex, long appliedIndex,
                            long startedAt, long pid, long starts, long dataSizeBytes, long snapshotIndex,
                            long snapshotsInstalled) {
}
