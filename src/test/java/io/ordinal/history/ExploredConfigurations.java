package io.ordinal.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The search's memo: the configurations (which operations have taken effect, and the key's state)
 * already explored, or being explored on the current path, with subsumption.
 *
 * <p>A configuration <em>covers</em> another when both have the same operations of known outcome
 * taken effect and the same value and modRevision, the coverer's revision floor is no higher, and
 * its unused operations of unknown outcome can stand in for the other's: for each group of unknown
 * operations with the same effect, every unused one of the other can be matched to a distinct unused
 * one of the coverer invoked no later (so available wherever the first is). Over a group's members in
 * invocation order that is: every prefix holds no more used members in the coverer than in the
 * other. Without groups it is plain "has used a subset".
 *
 * <p>Whatever order of the remaining operations works from the covered configuration then works from
 * the coverer, step for step: the same operations of known outcome, the matched unknown ones in place
 * of the other's, and the same states but for floors no higher (every transition of the model is
 * monotone in the floor), so the coverer is as close to a full linearization as the covered one. So
 * once a coverer is explored the covered configuration need not be: the search expands every
 * configuration it explores before it gives up, and of all explored configurations from which a
 * linearization exists, the one closest to finishing would have a successor that is explored or
 * covered — closer still, a contradiction. Without unknown outcomes this is exactly Porcupine's memo.
 *
 * <p>It is what keeps operations of unknown outcome from multiplying the search: unknown writes that
 * nobody saw could otherwise be slipped in at every point where they do no visible harm, in every
 * combination, each making a configuration that differs only in which of them were used.
 */
final class ExploredConfigurations {

    /** A rough count of bytes per remembered configuration beyond its bitsets, for the memo budget. */
    private static final int OVERHEAD = 160;

    private final Map<Known, List<Cover>> byKnown = new HashMap<>();
    /** For each unknown operation's bit, whether it is the first of its group; a group's bits are consecutive, in invocation order. */
    private final boolean[] groupStarts;
    private final int bytesPerCover;
    private long covers;

    ExploredConfigurations(int definiteWords, boolean[] groupStarts) {
        this.groupStarts = groupStarts;
        this.bytesPerCover = 8 * (definiteWords + (groupStarts.length + 63) / 64) + OVERHEAD;
    }

    /**
     * Records the configuration unless an explored one covers it.
     *
     * @return true if it is new: the search should explore it
     */
    boolean add(long[] definite, long definiteHash, long[] unknown, RegisterState state) {
        Known known = new Known(definite, definiteHash, state.value(), state.modRevision());
        List<Cover> list = byKnown.get(known);
        if (list == null) {
            list = new ArrayList<>(1);
            byKnown.put(new Known(definite.clone(), definiteHash, state.value(), state.modRevision()), list);
        }
        long floor = state.revisionFloor();
        for (Cover cover : list) {
            if (cover.floor <= floor && standsIn(cover.unknown, unknown)) {
                return false;
            }
        }
        // Drop the ones the new configuration covers: they can no longer prune anything it does not.
        int before = list.size();
        list.removeIf(cover -> floor <= cover.floor && standsIn(unknown, cover.unknown));
        list.add(new Cover(unknown.clone(), floor));
        covers += list.size() - before;
        return true;
    }

    long approximateBytes() {
        return covers * bytesPerCover;
    }

    /** Whether the unknown operations unused in {@code used} can stand in for those unused in {@code other}. */
    private boolean standsIn(long[] used, long[] other) {
        if (subset(used, other)) {
            return true;
        }
        int surplus = 0; // used members in `other` minus in `used`, over the group's prefix so far
        for (int bit = 0; bit < groupStarts.length; bit++) {
            if (groupStarts[bit]) {
                surplus = 0;
            }
            surplus += (int) (other[bit >>> 6] >>> bit & 1) - (int) (used[bit >>> 6] >>> bit & 1);
            if (surplus < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~b[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private record Cover(long[] unknown, long floor) {
    }

    /** The part of a configuration that must match exactly; {@code definite} is compared by content. */
    private static final class Known {
        final long[] definite;
        final long hash;
        final String value;
        final long modRevision;

        Known(long[] definite, long hash, String value, long modRevision) {
            this.definite = definite;
            this.hash = hash;
            this.value = value;
            this.modRevision = modRevision;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Known other && hash == other.hash && modRevision == other.modRevision
                    && Objects.equals(value, other.value) && Arrays.equals(definite, other.definite);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(hash) * 31 + (value == null ? 0 : value.hashCode())) * 31 + Long.hashCode(modRevision);
        }
    }
}
