package io.ordinal.cluster;

import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Decides the next single membership change that moves the Raft group toward the StatefulSet's
 * replica count. Pure: the leader gathers a {@link View}, asks for the next {@link Step}, applies it,
 * and asks again later, so that every change is one small step that Raft commits on its own.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>Nothing while a configuration change is still in progress, or while the desired count is
 *       unknown or below one (scaling to zero stops the pods; it does not dissolve the group).</li>
 *   <li>Scale down first: remove the member with the highest ordinal at or above the desired count,
 *       one at a time. If that member is the leader itself, hand leadership to a voter that stays.
 *       Listeners (non-voting members someone added by hand) are removed too; a wanted ordinal
 *       comes back as a voter.</li>
 *   <li>Add the lowest missing ordinal once its replica is running. It joins in two phases, both
 *       Ratis's: first it is a non-voting member that receives the log (or a snapshot) until it has
 *       caught up ("staging", Raft thesis §4.2.1), then the configuration that makes it a voter is
 *       committed. One replica joins at a time.</li>
 * </ol>
 * Why not Ratis's LISTENER role for the catch-up: in Ratis 3.3.0 a listener added by a
 * configuration change is never marked caught up by the leader, so once promoted it stays in
 * STARTING and cannot vote until the next leader change (found by {@code ScalingTest}). Staging is
 * the same non-voting catch-up without that flaw.
 */
public final class MembershipPlan {

    private MembershipPlan() {
    }

    /**
     * The group as the leader sees it. Ordinals name peers: {@code kv-store-3} is 3.
     *
     * @param caughtUp which members are close to the leader's log (the best to hand leadership to)
     * @param running  which replicas answer (only a running replica is added)
     */
    public record View(SortedSet<Integer> voters, SortedSet<Integer> listeners, int leader, boolean stable,
                       IntPredicate caughtUp, IntPredicate running) {
        public View {
            voters = new TreeSet<>(voters);
            listeners = new TreeSet<>(listeners);
        }
    }

    /** One membership change, or none. */
    public sealed interface Step permits AddVoter, Remove, HandOverLeadership, Wait {
    }

    /** Add a replica: it catches up as a non-voting member, then becomes a voter. */
    public record AddVoter(int ordinal) implements Step {
    }

    /** Remove a member (voter or listener) from the group. */
    public record Remove(int ordinal) implements Step {
    }

    /** The leader itself must leave: it hands leadership to {@code to} first. */
    public record HandOverLeadership(int to) implements Step {
    }

    /** Nothing to do now, and why. */
    public record Wait(String reason) implements Step {
    }

    public static Step next(View view, int desired) {
        if (!view.stable()) {
            return new Wait("a membership change is still being committed");
        }
        if (desired < 1) {
            return new Wait("the desired replica count is " + desired + "; the group is never shrunk below one");
        }
        Optional<Integer> excess = firstToRemove(view, desired);
        if (excess.isPresent()) {
            int ordinal = excess.get();
            if (ordinal != view.leader()) {
                return new Remove(ordinal);
            }
            return view.voters().stream()
                    .filter(v -> v < desired && v != view.leader())
                    .sorted((a, b) -> Boolean.compare(view.caughtUp().test(b), view.caughtUp().test(a)))
                    .findFirst()
                    .<Step>map(HandOverLeadership::new)
                    .orElseGet(() -> new Wait("the leader must leave but no voter that stays can take over"));
        }
        for (int ordinal = 0; ordinal < desired; ordinal++) {
            if (!view.voters().contains(ordinal)) {
                return view.running().test(ordinal) ? new AddVoter(ordinal)
                        : new Wait("waiting for replica " + ordinal + " to start");
            }
        }
        return new Wait("the group has the desired " + desired + " voters");
    }

    /** The member to remove first: the highest ordinal at or above the desired count, or any listener. */
    private static Optional<Integer> firstToRemove(View view, int desired) {
        TreeSet<Integer> leaving = new TreeSet<>(view.listeners());
        view.voters().stream().filter(v -> v >= desired).forEach(leaving::add);
        return leaving.isEmpty() ? Optional.empty() : Optional.of(leaving.last());
    }
}
