package io.ordinal.replica;

import io.ordinal.command.KeyValue;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stale read with a minimum index (the barrier path of a linearizable read) waits on a replica that
 * has committed that index but not applied it yet, and is answered once the applied index gets there —
 * however it gets there. Ratis 3.3.0's {@code BaseStateMachine.queryStale} completes its waiters only
 * when the applied index is set again to the value it already has, so on its own such a read hangs
 * until the frontend gives up on that replica.
 */
class StaleReadWaitersTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    private static final Message GET = Message.valueOf(UnsafeByteOperations.unsafeWrap(
            QueryFormat.encode(new Query.Get(KEY))));

    @TempDir
    Path dir;
    private KvStateMachine stateMachine;
    private RaftStorage storage;

    @BeforeEach
    void start() throws Exception {
        storage = RaftStorage.newBuilder()
                .setDirectory(dir.resolve("raft").toFile())
                .setOption(RaftStorage.StartupOption.FORMAT)
                .setStorageFreeSpaceMin(SizeInBytes.ONE_KB)
                .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.getDefault())
                .build();
        storage.initialize();
        stateMachine = new KvStateMachine(dir.resolve("db"));
        stateMachine.initialize(server(), RaftGroupId.randomId(), storage);
        stateMachine.updateLastAppliedTermIndex(TermIndex.valueOf(1, 1)); // the first entry of the log
    }

    /** A server that only knows its id: all that initialize needs of it. */
    private static RaftServer server() {
        RaftPeerId id = RaftPeerId.valueOf("kv-store-0");
        return (RaftServer) Proxy.newProxyInstance(RaftServer.class.getClassLoader(), new Class<?>[] {RaftServer.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "toString" -> "server " + id;
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @AfterEach
    void stop() throws Exception {
        stateMachine.close();
        storage.close();
    }

    @Test
    void aStaleReadWaitingForAnIndexIsAnsweredOnceItIsApplied() {
        CompletableFuture<Message> read = stateMachine.queryStale(GET, 5);
        stateMachine.updateLastAppliedTermIndex(TermIndex.valueOf(1, 4));
        assertThat(read).isNotDone();

        stateMachine.updateLastAppliedTermIndex(TermIndex.valueOf(1, 5));

        assertThat(read).succeedsWithin(Duration.ofSeconds(5))
                .extracting(m -> ResultFormat.decodeGetResult(KEY, m.getContent().asReadOnlyByteBuffer()))
                .isEqualTo((KeyValue) null);
    }

    @Test
    void aStaleReadWaitingForAnIndexIsAnsweredWhenTheAppliedIndexJumpsPastIt() {
        CompletableFuture<Message> early = stateMachine.queryStale(GET, 3);
        CompletableFuture<Message> late = stateMachine.queryStale(GET, 7);

        stateMachine.updateLastAppliedTermIndex(TermIndex.valueOf(2, 9)); // e.g. everything up to a snapshot's index at once

        assertThat(early).succeedsWithin(Duration.ofSeconds(5));
        assertThat(late).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aStaleReadAtAnAppliedIndexIsAnsweredAtOnce() {
        stateMachine.updateLastAppliedTermIndex(TermIndex.valueOf(1, 5));
        assertThat(stateMachine.queryStale(GET, 5)).succeedsWithin(Duration.ofSeconds(5));
    }
}
