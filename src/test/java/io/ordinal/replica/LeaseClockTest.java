package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.storage.KvStore;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The leader's countdown, on a clock the test moves: what it decides, and the fence each decision carries. */
class LeaseClockTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final LeaseClock clock = new LeaseClock(now::get);

    @Test
    void anArmedLeaderDecidesExpiriesFencedByItsTermAndTheRenewalItCountedFrom() {
        clock.arm(3, Map.of(10L, new KvStore.Lease(2, 10), 20L, new KvStore.Lease(5, 25)));
        now.addAndGet(2 * SECOND);
        assertThat(clock.expired(3)).containsExactly(new Command.LeaseExpire(10, 3, 10));
        assertThat(clock.expired(4)).as("armed for another term: decides nothing").isEmpty();

        clock.renew(10, 2, 31); // a keepalive at entry 31
        now.addAndGet(2 * SECOND);
        assertThat(clock.expired(3)).containsExactly(new Command.LeaseExpire(10, 3, 31));
        now.addAndGet(SECOND);
        assertThat(clock.expired(3)).containsExactlyInAnyOrder(new Command.LeaseExpire(10, 3, 31),
                new Command.LeaseExpire(20, 3, 25));

        clock.remove(10);
        clock.disarm();
        assertThat(clock.expired(3)).as("disarmed").isEmpty();
        assertThat(clock.remainingMillis(20)).isEqualTo(-1);
    }

    @Test
    void armingGivesEveryStoredLeaseItsFullTimeToLiveFromNow() {
        clock.renew(10, 2, 10); // counted as a follower, long ago
        now.addAndGet(60 * SECOND);
        clock.arm(7, Map.of(10L, new KvStore.Lease(2, 10)));
        assertThat(clock.expired(7)).isEmpty();
        assertThat(clock.remainingMillis(10)).isEqualTo(2000);
        now.addAndGet(2 * SECOND);
        assertThat(clock.expired(7)).containsExactly(new Command.LeaseExpire(10, 7, 10));
    }

    @Test
    void theCountdownFollowsWhatEachAppliedLeaseEntryDid() {
        clock.arm(3, Map.of());
        clock.applied(new Command.LeaseGrant(2), new LeaseResult(true, 10, 2, 0, 0), 10);
        assertThat(clock.remainingMillis(10)).as("granted").isEqualTo(2000);
        now.addAndGet(SECOND);
        clock.applied(new Command.LeaseKeepAlive(10), new LeaseResult(true, 10, 2, 0, 0), 12);
        assertThat(clock.remainingMillis(10)).as("kept alive").isEqualTo(2000);
        now.addAndGet(2 * SECOND);
        assertThat(clock.expired(3)).containsExactly(new Command.LeaseExpire(10, 3, 12));

        clock.applied(new Command.LeaseExpire(10, 2, 12), new LeaseResult(false, 10, 0, 0, 0), 13);
        assertThat(clock.expired(3)).as("an expiry that no longer held changes nothing").hasSize(1);
        clock.applied(new Command.LeaseRevoke(10), new LeaseResult(true, 10, 2, 0, 0), 14);
        assertThat(clock.expired(3)).as("revoked").isEmpty();
        assertThat(clock.remainingMillis(10)).isEqualTo(-1);
    }
}
