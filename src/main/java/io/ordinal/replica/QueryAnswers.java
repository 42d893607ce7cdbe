package io.ordinal.replica;

import io.ordinal.command.LeaderReadResult;
import io.ordinal.command.LeaseInfo;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import io.ordinal.storage.KvStore;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the state machine's read-only queries from the store: each {@link Query} kind to its
 * answer, encoded. Reads run on the caller's thread (a long poll of the history waits in
 * {@link ChangeWaiters}, a leader read for the apply in {@link AppliedWaiters}), under the store's
 * read lock, so a snapshot install never closes the database under them.
 */
final class QueryAnswers {

    /** This replica's Raft division; fails when the server is not running. */
    interface Division {
        RaftServer.Division get() throws IOException;
    }

    private final LoadedStore stores;
    private final LeaseClock leaseClock;
    private final ChangeWaiters changeWaiters;
    private final AppliedWaiters appliedWaiters;
    private final Division division;

    QueryAnswers(LoadedStore stores, LeaseClock leaseClock, ChangeWaiters changeWaiters,
                 AppliedWaiters appliedWaiters, Division division) {
        this.stores = stores;
        this.leaseClock = leaseClock;
        this.changeWaiters = changeWaiters;
        this.appliedWaiters = appliedWaiters;
        this.division = division;
    }

    CompletableFuture<Message> query(Message request) {
        try {
            return answer(QueryFormat.decodeQuery(request.getContent().asReadOnlyByteBuffer()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Message> answer(Query query) {
        try {
            return stores.read(s -> s == null
                    ? CompletableFuture.failedFuture(new IOException("the replica is installing a snapshot"))
                    : answer(s, query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Java 17 has no pattern switch (a preview): the sealed {@link Query}'s kinds, one by one. */
    private CompletableFuture<Message> answer(KvStore s, Query query) {
        if (query instanceof Query.AtLeader atLeader) {
            return atLeader(atLeader.inner());
        }
        if (query instanceof Query.Changes changes) {
            // A long poll: answered when a matching change is applied, or when its wait is over.
            return changeWaiters.poll(changes).thenApply(result -> message(ResultFormat.encode(result)));
        }
        byte[] answer;
        if (query instanceof Query.Term) {
            answer = ResultFormat.encodeTermResult(currentTerm().orElse(Long.MAX_VALUE)); // unknown: never confirms a leader
        } else if (query instanceof Query.Get get) {
            answer = ResultFormat.encodeGetResult(s.get(get.key()));
        } else if (query instanceof Query.GetMany many) {
            answer = getMany(s, many);
        } else if (query instanceof Query.Range range) {
            answer = ResultFormat.encode(s.range(range));
        } else if (query instanceof Query.Status) {
            answer = ResultFormat.encode(s.status());
        } else {
            answer = ResultFormat.encode(leaseInfo(s, (Query.LeaseInfo) query));
        }
        return CompletableFuture.completedFuture(message(answer));
    }

    /** A lease and its keys; the time it has left is known only to the leader that counts it down. */
    private LeaseInfo leaseInfo(KvStore s, Query.LeaseInfo lease) {
        LeaseInfo info = s.leaseInfo(lease.id(), lease.maxKeys());
        long remaining = info.found() && isLeader() ? leaseClock.remainingMillis(lease.id()) : -1;
        return new LeaseInfo(info.found(), info.id(), info.ttlSeconds(), remaining, info.keys());
    }

    /**
     * A read the frontend will confirm with a majority instead of a log entry
     * ({@code client.ConfirmedReads}): answered only if this replica is the ready leader of one term
     * throughout the check, and only once it has applied everything committed when the read arrived —
     * so that it reflects every write acknowledged before.
     */
    private CompletableFuture<Message> atLeader(Query inner) {
        RaftServer.Division d;
        try {
            d = division.get();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(leaderRead(LeaderReadResult.Status.NOT_LEADER, 0));
        }
        long term = d.getInfo().getCurrentTerm();
        boolean leading = d.getInfo().isLeader() && d.getInfo().isLeaderReady();
        long commit = d.getRaftLog().getLastCommittedIndex();
        var conf = d.getRaftConf(); // read within the term check: the configuration of term's leader
        if (!leading || d.getInfo().getCurrentTerm() != term) {
            return CompletableFuture.completedFuture(leaderRead(LeaderReadResult.Status.NOT_LEADER, term));
        }
        if (!conf.getPreviousPeers().isEmpty()) {
            return CompletableFuture.completedFuture(leaderRead(LeaderReadResult.Status.CONF_CHANGING, term));
        }
        List<String> voters = conf.getCurrentPeers(RaftPeerRole.FOLLOWER).stream()
                .map(p -> p.getId().toString()).toList();
        return appliedWaiters.await(commit).thenCompose(applied -> answer(inner))
                .thenApply(answer -> message(ResultFormat.encode(new LeaderReadResult(LeaderReadResult.Status.SERVED,
                        term, voters, answer.getContent().asReadOnlyByteBuffer()))));
    }

    private static Message leaderRead(LeaderReadResult.Status status, long term) {
        return message(ResultFormat.encode(new LeaderReadResult(status, term, List.of(), ByteBuffer.allocate(0))));
    }

    /** Each key's get result in order, until the answer passes the query's byte budget (at least one). */
    private static byte[] getMany(KvStore s, Query.GetMany many) {
        List<byte[]> results = new ArrayList<>(many.keys().size());
        long bytes = 0;
        for (byte[] key : many.keys()) {
            byte[] one = ResultFormat.encodeGetResult(s.get(key));
            results.add(one);
            bytes += one.length;
            if (bytes > many.maxBytes()) {
                break;
            }
        }
        return ResultFormat.encodeGetManyResult(results);
    }

    OptionalLong currentTerm() {
        try {
            return OptionalLong.of(division.get().getInfo().getCurrentTerm());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private boolean isLeader() {
        try {
            return division.get().getInfo().isLeader();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static Message message(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }
}
