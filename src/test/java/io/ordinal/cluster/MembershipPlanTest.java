package io.ordinal.cluster;

import io.ordinal.cluster.MembershipPlan.AddVoter;
import io.ordinal.cluster.MembershipPlan.HandOverLeadership;
import io.ordinal.cluster.MembershipPlan.Remove;
import io.ordinal.cluster.MembershipPlan.Step;
import io.ordinal.cluster.MembershipPlan.View;
import io.ordinal.cluster.MembershipPlan.Wait;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

class MembershipPlanTest {

    private static final IntPredicate ALL = o -> true;
    private static final IntPredicate NONE = o -> false;

    @Test
    void aGroupAtTheDesiredSizeIsLeftAlone() {
        assertThat(next(voters(0, 1, 2), none(), 0, ALL, ALL, 3)).isInstanceOf(Wait.class);
    }

    @Test
    void scalingUpAddsTheLowestMissingOrdinalOnceItRunsOneAtATime() {
        assertThat(next(voters(0, 1, 2), none(), 0, ALL, ALL, 5)).isEqualTo(new AddVoter(3));
        assertThat(next(voters(0, 1, 2), none(), 0, ALL, NONE, 5)).isInstanceOf(Wait.class);
        assertThat(next(voters(0, 1, 2, 3), none(), 0, ALL, ALL, 5)).isEqualTo(new AddVoter(4));
    }

    @Test
    void scalingDownRemovesTheHighestOrdinalFirstOneAtATime() {
        assertThat(next(voters(0, 1, 2, 3, 4), none(), 0, ALL, ALL, 3)).isEqualTo(new Remove(4));
        assertThat(next(voters(0, 1, 2, 3), none(), 0, ALL, ALL, 3)).isEqualTo(new Remove(3));
        assertThat(next(voters(0, 1, 2, 3), set(5), 0, ALL, ALL, 3)).isEqualTo(new Remove(5));
    }

    @Test
    void aLeaderThatIsScaledAwayHandsLeadershipToAVoterThatStays() {
        Step step = next(voters(0, 1, 2, 3, 4), none(), 4, o -> o != 1, ALL, 3);
        assertThat(step).isInstanceOf(HandOverLeadership.class);
        assertThat(((HandOverLeadership) step).to()).isIn(0, 2);
        // A lower excess member is never removed while the leader is the highest one.
        assertThat(next(voters(0, 1, 2, 3, 4), none(), 4, ALL, ALL, 3)).isNotInstanceOf(Remove.class);
    }

    @Test
    void nothingHappensWhileAChangeIsInProgressOrTheCountIsUnusable() {
        View inProgress = new View(voters(0, 1, 2), none(), 0, false, ALL, ALL);
        assertThat(MembershipPlan.next(inProgress, 5)).isInstanceOf(Wait.class);
        assertThat(next(voters(0, 1, 2), none(), 0, ALL, ALL, 0)).isInstanceOf(Wait.class);
        assertThat(next(voters(0, 1, 2), none(), 0, ALL, ALL, -1)).isInstanceOf(Wait.class);
    }

    @Test
    void aGroupThatLostAMemberReplacesItInOrdinalOrder() {
        // kv-store-1 was removed while down; it is still wanted: it is added back first.
        assertThat(next(voters(0, 2), none(), 0, ALL, ALL, 3)).isEqualTo(new AddVoter(1));
    }

    @Test
    void drivingThePlanToItsEndReachesExactlyTheDesiredVoters() {
        for (int from = 1; from <= 7; from++) {
            for (int to = 1; to <= 7; to++) {
                TreeSet<Integer> voters = new TreeSet<>();
                for (int i = 0; i < from; i++) {
                    voters.add(i);
                }
                TreeSet<Integer> listeners = from > 2 ? set(from + 1) : new TreeSet<>();
                int leader = from - 1;
                for (int steps = 0; steps < 40; steps++) {
                    Step step = next(voters, listeners, leader, ALL, ALL, to);
                    if (step instanceof AddVoter s) {
                        voters.add(s.ordinal());
                    } else if (step instanceof Remove s) {
                        assertThat(s.ordinal()).isNotEqualTo(leader);
                        voters.remove(s.ordinal());
                        listeners.remove(s.ordinal());
                    } else if (step instanceof HandOverLeadership s) {
                        assertThat(voters).contains(s.to());
                        leader = s.to();
                    } else {
                        break;
                    }
                    assertThat(voters).as("never without a voter").isNotEmpty();
                }
                TreeSet<Integer> expected = new TreeSet<>();
                for (int i = 0; i < to; i++) {
                    expected.add(i);
                }
                assertThat(voters).as("%d -> %d", from, to).isEqualTo(expected);
                assertThat(listeners).isEmpty();
                assertThat(leader).isLessThan(to);
            }
        }
    }

    private static Step next(Set<Integer> voters, Set<Integer> listeners, int leader, IntPredicate caughtUp,
                             IntPredicate running, int desired) {
        return MembershipPlan.next(new View(new TreeSet<>(voters), new TreeSet<>(listeners), leader, true,
                caughtUp, running), desired);
    }

    private static TreeSet<Integer> voters(Integer... ordinals) {
        return set(ordinals);
    }

    private static TreeSet<Integer> none() {
        return new TreeSet<>();
    }

    private static TreeSet<Integer> set(Integer... ordinals) {
        return new TreeSet<>(Set.of(ordinals));
    }
}
