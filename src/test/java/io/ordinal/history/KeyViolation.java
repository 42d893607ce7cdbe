package io.ordinal.history;

import java.util.List;

/**
 * Why a key's history is not linearizable, in the form of Porcupine's partial linearizations: the
 * longest order of operations the search could justify, the state it leaves, and the operations
 * of which one had to come next, none of which could.
 *
 * <p>The violation may come from the relaxed search (see {@link WglSearch}), which lets an unknown
 * write that no read returned take effect more than once; such a write can then appear more than once
 * in the prefix, and its value shows as "(a value no read returned)".
 *
 * @param longestPrefix      operations in the order they took effect, consistent with their responses and real time
 * @param stateAfterPrefix   the key's state after them
 * @param unplaceable        the operations with a known outcome that real time allowed next, each with why it
 *                           could not be next (one of unknown outcome never has to take effect)
 */
public record KeyViolation(List<OperationRef> longestPrefix, RegisterState stateAfterPrefix, List<Unplaceable> unplaceable) {

    /** How many of the prefix's last operations {@link #explanation()} shows. */
    private static final int TAIL = 12;

    public record Unplaceable(OperationRef operation, String reason) {
    }

    public String explanation() {
        StringBuilder out = new StringBuilder();
        out.append("  longest linearizable prefix: ").append(longestPrefix.size()).append(" operation(s)");
        if (longestPrefix.size() > TAIL) {
            out.append(", the last ").append(TAIL);
        }
        out.append('\n');
        for (OperationRef op : longestPrefix.subList(Math.max(0, longestPrefix.size() - TAIL), longestPrefix.size())) {
            out.append("    ").append(op).append('\n');
        }
        out.append("  state after it: ").append(stateAfterPrefix).append('\n');
        out.append("  none of these could take effect next:\n");
        for (Unplaceable u : unplaceable) {
            out.append("    ").append(u.operation()).append("\n      ").append(u.reason()).append('\n');
        }
        return out.toString();
    }
}
