package io.ordinal.history;

import io.ordinal.history.Response.Found;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of unknown outcome of one key, grouped by effect: two are in one group when the
 * model cannot tell them apart (same request once unread values are erased, see
 * {@link UnreadValues}), so they differ only in when they were invoked. Each group gets consecutive
 * bits, in invocation order, in the search's set of unknown operations that have taken effect.
 */
final class EffectGroups {

    /** Per operation: its bit among the unknown ones, or -1 for a known outcome. */
    final int[] bit;
    /** Per bit: whether it is the first of its group. */
    final boolean[] groupStarts;
    /**
     * Per operation of unknown outcome: whether no read returned its value (a delete writes none).
     * Only such operations can share a group; the relaxed search lets them take effect any number of times.
     */
    final boolean[] poolable;
    private final int[][] group;
    private final int[] indexInGroup;
    private final List<OperationRef> ops;

    EffectGroups(List<OperationRef> ops, Operation[] modelOps) {
        this.ops = ops;
        this.bit = new int[ops.size()];
        this.poolable = new boolean[ops.size()];
        this.group = new int[ops.size()][];
        this.indexInGroup = new int[ops.size()];
        Map<Request, List<Integer>> byEffect = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            bit[i] = -1;
            if (ops.get(i).operation().isUnknown()) {
                byEffect.computeIfAbsent(modelOps[i].request(), r -> new ArrayList<>()).add(i);
                poolable[i] = !readValueWritten(modelOps[i], ops);
            }
        }
        this.groupStarts = new boolean[byEffect.values().stream().mapToInt(List::size).sum()];
        int next = 0;
        for (List<Integer> members : byEffect.values()) {
            members.sort(Comparator.<Integer>comparingLong(i -> ops.get(i).operation().invokedAt()).thenComparingInt(i -> i));
            int[] array = members.stream().mapToInt(Integer::intValue).toArray();
            groupStarts[next] = true;
            for (int k = 0; k < array.length; k++) {
                group[array[k]] = array;
                indexInGroup[array[k]] = k;
                bit[array[k]] = next++;
            }
        }
    }

    /**
     * Whether no other unknown operation of {@code op}'s group, invoked after it and by
     * {@code windowEnd}, is still pending. The members of a group are interchangeable wherever both
     * may take effect, and a later-invoked one may take effect at fewer points; so using the latest
     * first and keeping the earlier ones for later loses no linearization, and trying each would only
     * explore the same states under different names.
     */
    boolean isLatestPending(int op, long windowEnd, boolean[] taken) {
        int[] members = group[op];
        for (int k = indexInGroup[op] + 1; k < members.length; k++) {
            if (!taken[members[k]]) {
                return ops.get(members[k]).operation().invokedAt() > windowEnd;
            }
        }
        return true;
    }

    /** Whether some read of this key returned the value {@code op} writes. */
    private static boolean readValueWritten(Operation op, List<OperationRef> ops) {
        String value = op.request().writtenValue();
        return value != null && ops.stream().anyMatch(o -> o.operation().response() instanceof Found found && found.value().equals(value));
    }
}
