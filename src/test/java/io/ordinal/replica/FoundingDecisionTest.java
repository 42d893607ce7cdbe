package io.ordinal.replica;

import io.ordinal.cluster.Topology;
import io.ordinal.replica.Founding.Answer;
import io.ordinal.replica.Founding.Found;
import io.ordinal.replica.Founding.Join;
import io.ordinal.replica.Founding.PeerAnswer;
import io.ordinal.replica.Founding.Wait;
import org.apache.ratis.protocol.RaftGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a fresh disk decides from one round of its peers' answers. */
class FoundingDecisionTest {

    private static final Topology TOPOLOGY = new Topology("test", "kv-store", 3, "127.0.0.1", "default", 20_000, 1);
    private static final RaftGroup RUNNING = TOPOLOGY.group();

    @Test
    void foundsOnlyWhenEveryOtherFoundingOrdinalAnswersFresh() {
        assertThat(Founding.decide(true, 3, List.of(fresh(1), fresh(2)))).isInstanceOf(Found.class);
        assertThat(Founding.decide(true, 3, List.of(fresh(1), silent(2)))).isInstanceOf(Wait.class);
        assertThat(Founding.decide(true, 3, List.of(silent(1), silent(2)))).isInstanceOf(Wait.class);
    }

    @Test
    void joinsAsSoonAsAnyReplicaHoldsDataEvenIfOthersAreSilent() {
        assertThat(Founding.decide(true, 3, List.of(silent(1), holding(2)))).isEqualTo(new Join(RUNNING));
        assertThat(Founding.decide(false, 3, List.of(holding(0), fresh(1), silent(2)))).isEqualTo(new Join(RUNNING));
    }

    @Test
    void aReplicaThatMayNotFoundWaitsForOneThatHoldsData() {
        assertThat(Founding.decide(false, 3, List.of(fresh(0), fresh(1), fresh(2)))).isInstanceOf(Wait.class);
    }

    @Test
    void silentOrdinalsBeyondTheFoundingOnesDoNotHoldUpFounding() {
        assertThat(Founding.decide(true, 3, List.of(fresh(1), fresh(2), silent(3)))).isInstanceOf(Found.class);
    }

    @Test
    void aHolderThatCannotNameTheGroupsMembersIsWaitedFor() {
        PeerAnswer noMembers = new PeerAnswer(1, Answer.HOLDS_DATA, RaftGroup.valueOf(TOPOLOGY.groupId()));
        assertThat(Founding.decide(true, 3, List.of(noMembers, fresh(2)))).isInstanceOf(Wait.class);
    }

    private static PeerAnswer fresh(int ordinal) {
        return new PeerAnswer(ordinal, Answer.FRESH, null);
    }

    private static PeerAnswer silent(int ordinal) {
        return new PeerAnswer(ordinal, Answer.SILENT, null);
    }

    private static PeerAnswer holding(int ordinal) {
        return new PeerAnswer(ordinal, Answer.HOLDS_DATA, RUNNING);
    }
}
