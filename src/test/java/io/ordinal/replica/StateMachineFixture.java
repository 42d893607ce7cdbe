package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import io.ordinal.command.Precondition;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.LogProtoUtils;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A state machine's Raft storage and log entries, without a Raft server around them. */
final class StateMachineFixture {

    private StateMachineFixture() {
    }

    /** Raft's storage directory (metadata, {@code sm/} for snapshots), formatted when new. */
    static RaftStorage raftStorage(Path dir) throws IOException {
        RaftStorage storage = RaftStorage.newBuilder()
                .setDirectory(dir.toFile())
                .setOption(Files.exists(dir) ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .setStorageFreeSpaceMin(SizeInBytes.valueOf(0))
                .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION)
                .build();
        storage.initialize();
        return storage;
    }

    /**
     * A Raft server that only knows its id: a state machine asks it for nothing else unless it is a
     * peer of a running group (anything else fails, as it would for a server that is not running).
     */
    static RaftServer server(String id) {
        RaftPeerId peerId = RaftPeerId.valueOf(id);
        return (RaftServer) java.lang.reflect.Proxy.newProxyInstance(RaftServer.class.getClassLoader(),
                new Class<?>[] {RaftServer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> peerId;
                    case "toString" -> "RaftServer " + peerId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new IllegalStateException("not running: " + method.getName());
                });
    }

    /** Applies a put of {@code key} as the committed log entry {@code index}, as Ratis's apply thread does. */
    static void applyPut(KvStateMachine sm, long index, String key) {
        byte[] command = LogFormat.encode(new Command.Put(key.getBytes(StandardCharsets.UTF_8),
                "v".repeat(100).getBytes(StandardCharsets.UTF_8), Precondition.NONE, 0));
        var entry = LogProtoUtils.toLogEntryProto(StateMachineLogEntryProto.newBuilder()
                .setLogData(ByteString.copyFrom(command)).build(), 1, index);
        sm.applyTransaction(TransactionContext.newBuilder().setServerRole(RaftPeerRole.FOLLOWER)
                .setStateMachine(sm).setLogEntry(entry).build()).join();
    }
}
