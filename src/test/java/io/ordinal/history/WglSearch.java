package io.ordinal.history;

import io.ordinal.history.CallList.Entry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Wing–Gong–Lowe search for a linearization of one key's operations, as Porcupine and Knossos do
 * it: the operations' invocations and responses form one list in real-time order ({@link CallList});
 * the search repeatedly takes an invocation that comes before the first pending response, applies
 * the model, and lifts the operation out of the list; when no invocation before that response can be
 * taken, the prefix is a dead end and the last choice is undone. A memo of the configurations already
 * explored ({@link ExploredConfigurations}) keeps it from exploring one twice; that is what makes
 * thousands of operations tractable.
 *
 * <p>An operation of unknown outcome responds at +infinity: it may take effect at any point after
 * its invocation, or never. "Never" is the same as "after everything else", where nobody sees it, so
 * the search is done as soon as every operation of known outcome has taken effect, and it never tries
 * an unknown one as a no-op (deferring it is as good and keeps it available). Among the invocations it
 * may take next it tries those of known outcome first (see {@link Pass}): a history rarely needs an
 * unknown write to have taken effect before the next known operation.
 *
 * <p>Each key is searched twice when that can help. First <em>relaxed</em>: an unknown operation that
 * nobody can tell from the others of its group (see {@link EffectGroups}) may take effect any number
 * of times. That accepts every history the exact search accepts and more, so its NOT_LINEARIZABLE is
 * final; and it is fast, because which of those operations were used no longer distinguishes
 * configurations. Only if it finds a linearization does the exact search run (on a valid history it
 * is quick: the first path it follows is usually right). So a violation is found quickly even when
 * the exact search would have to exhaust every way of slipping in unknown writes, and the only
 * violations left to the exact search are those that need counting unknown writes.
 */
final class WglSearch {

    private static final String DEAD_END = "it could take effect here, but then no order of the remaining operations fits their responses";

    private final String key;
    private final List<OperationRef> ops;
    private final Operation[] modelOps;
    private final EffectGroups groups;
    private final boolean relaxed;
    private final long deadline;
    private final long stepLimit;
    private final long memoBytes;
    private final Budget budget;

    private final CallList list;
    private final boolean[] definite;
    /** Per operation of known outcome: whether it changes nothing (a read, a {@code 404}, a {@code 412}). */
    private final boolean[] observer;
    private final boolean[] taken;
    /** Each operation of known outcome's bit in {@code definiteTaken}. */
    private final int[] definiteBit;
    private final long[] definiteTaken;
    private final long[] unknownTaken;
    private final long[] zobrist;
    private long definiteHash;
    private final ExploredConfigurations explored;
    private final List<Frame> stack = new ArrayList<>();
    private RegisterState state = RegisterState.INITIAL;
    private Entry entry;
    private Pass pass;
    /** The time of the first pending response, once a scan has reached it. */
    private long windowEnd;
    private int definitePending;
    private long steps;

    private List<Frame> deepestPrefix = null;
    private int deepestPending;
    private RegisterState stateAfterDeepest;

    private WglSearch(String key, List<OperationRef> ops, Operation[] modelOps, EffectGroups groups, boolean relaxed,
                      Budget budget, long deadline, long stepLimit) {
        this.key = key;
        this.ops = ops;
        this.modelOps = modelOps;
        this.groups = groups;
        this.relaxed = relaxed;
        this.budget = budget;
        this.deadline = deadline;
        this.stepLimit = stepLimit;
        this.memoBytes = budget.memoBytes();
        this.definite = new boolean[ops.size()];
        this.observer = new boolean[ops.size()];
        this.taken = new boolean[ops.size()];
        this.definiteBit = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            definite[i] = !ops.get(i).operation().isUnknown();
            Response response = ops.get(i).operation().response();
            observer[i] = definite[i] && !(response instanceof Response.Written || response instanceof Response.Deleted);
            definiteBit[i] = definite[i] ? definitePending++ : -1;
        }
        this.definiteTaken = new long[(definitePending + 63) / 64];
        this.unknownTaken = new long[(groups.groupStarts.length + 63) / 64];
        this.zobrist = new SplittableRandom(0x5eed).longs(definitePending).toArray();
        this.explored = new ExploredConfigurations(definiteTaken.length, groups.groupStarts);
        this.list = new CallList(ops, definite);
    }

    /** @param operations the key's operations; reads of unknown outcome are ignored, as they tell nothing */
    static KeyResult check(String key, List<OperationRef> operations, Budget budget) {
        long startedAt = System.nanoTime();
        List<OperationRef> ops = operations.stream()
                .filter(o -> !(o.operation().isUnknown() && o.operation().request().isRead()))
                .toList();
        Operation[] modelOps = UnreadValues.erase(ops);
        EffectGroups groups = new EffectGroups(ops, modelOps);
        long deadline = startedAt + budget.timePerKey().toNanos();
        boolean relaxing = anyTrue(groups.poolable);
        if (!relaxing) {
            return new WglSearch(key, ops, modelOps, groups, false, budget, deadline, budget.stepsPerKey()).run(startedAt, 0);
        }
        // The relaxed search gets half the budget; the exact one whatever is left.
        long halfway = startedAt + budget.timePerKey().toNanos() / 2;
        KeyResult relaxed = new WglSearch(key, ops, modelOps, groups, true, budget, halfway, budget.stepsPerKey() / 2)
                .run(startedAt, 0);
        if (relaxed.verdict() == Verdict.NOT_LINEARIZABLE) {
            return relaxed;
        }
        return new WglSearch(key, ops, modelOps, groups, false, budget, deadline, budget.stepsPerKey() - relaxed.steps())
                .run(startedAt, relaxed.steps());
    }

    private KeyResult run(long startedAt, long stepsBefore) {
        KeyResult result = search();
        return new KeyResult(key, result.verdict(), ops.size(), stepsBefore + steps, Duration.ofNanos(System.nanoTime() - startedAt),
                result.linearization(), result.violation(), result.undecidedWhy());
    }

    private KeyResult search() {
        entry = list.head.next;
        pass = firstPass();
        long iterations = 0;
        while (definitePending > 0) {
            if ((++iterations & 0xfff) == 0 && System.nanoTime() > deadline) {
                return undecided("time budget of " + budget.timePerKey().toMillis() + " ms exhausted");
            }
            if (!entry.call) {
                // The first pending response (of a known outcome) closes the window of what may be next.
                if (pass != Pass.UNKNOWN) {
                    pass = pass == Pass.OBSERVE ? Pass.WRITE : Pass.UNKNOWN;
                    windowEnd = entry.time;
                    entry = list.head.next;
                } else if (!backtrack()) {
                    return notLinearizable();
                }
                continue;
            }
            int op = entry.op;
            if (!pass.admits(this, op)) {
                entry = entry.next;
                continue;
            }
            if (++steps > stepLimit) {
                return undecided("step budget of " + budget.stepsPerKey() + " exhausted");
            }
            List<RegisterState> choices = RegisterModel.step(state, modelOps[op]);
            if (pass == Pass.OBSERVE) {
                // An observer that fits the state now goes now: see Pass.OBSERVE.
                if (choices.isEmpty()) {
                    entry = entry.next;
                } else if (choices.size() != 1 || !choices.get(0).equals(state)) {
                    throw new IllegalStateException("the model let an observer change a known state: " + ops.get(op));
                } else if (takeEffect(entry, choices, 0, pass)) {
                    startScan();
                } else if (!backtrack()) {
                    return notLinearizable();
                }
            } else if (takeEffect(entry, choices, 0, pass)) {
                startScan();
            } else {
                entry = entry.next;
            }
            if (explored.approximateBytes() > memoBytes) {
                return undecided("memo budget of " + (memoBytes >> 20) + " MiB exhausted");
            }
        }
        return result(Verdict.LINEARIZABLE, stack.stream().map(f -> ops.get(f.call.op)).toList(), null, null);
    }

    /**
     * Which operations a scan of the window tries, in the order of the passes. Each configuration is
     * scanned pass by pass; a choice made in a pass is resumed in that pass when undone.
     */
    private enum Pass {
        /**
         * Operations of known outcome that change nothing (reads, {@code 404}s, {@code 412}s), while
         * the state's modRevision is known: such an operation either fits the state as it is or does
         * not fit at all. One that fits is taken at once and never reconsidered: in any linearization
         * from here it could be moved to here (its response depends only on the state, which it leaves
         * as it is, and every operation that must precede it in real time already has). So if taking
         * it leads nowhere, neither does this configuration. Without this, n concurrent reads of one
         * state would be tried in 2^n subsets.
         */
        OBSERVE,
        /** The other operations of known outcome (all of them, while the modRevision is unseen: an observer may reveal it). */
        WRITE,
        /** Operations of unknown outcome, the latest-invoked of each group only (see {@link EffectGroups}). */
        UNKNOWN;

        boolean admits(WglSearch search, int op) {
            return switch (this) {
                case OBSERVE -> search.definite[op] && search.observer[op];
                case WRITE -> search.definite[op] && (!search.observer[op] || !search.state.isRevealed());
                case UNKNOWN -> !search.definite[op] && search.groups.isLatestPending(op, search.windowEnd, search.taken);
            };
        }
    }

    private Pass firstPass() {
        return state.isRevealed() ? Pass.OBSERVE : Pass.WRITE;
    }

    private void startScan() {
        entry = list.head.next;
        pass = firstPass();
    }

    /**
     * The current configuration is a dead end: undoes choices until one has an alternative, and
     * takes it or resumes the scan after it. A choice made in {@link Pass#OBSERVE} has no
     * alternative, and the configuration before it is a dead end too.
     *
     * @return false when there is nothing left to undo: no linearization exists
     */
    private boolean backtrack() {
        rememberIfDeepest();
        while (!stack.isEmpty()) {
            Frame last = stack.remove(stack.size() - 1);
            undo(last);
            if (last.pass == Pass.OBSERVE) {
                continue;
            }
            if (takeEffect(last.call, last.choices, last.choice + 1, last.pass)) {
                startScan();
            } else {
                entry = last.call.next;
                pass = last.pass;
                windowEnd = list.firstResponse().time;
            }
            return true;
        }
        return false;
    }

    /**
     * Lets the operation of {@code call} take effect with the first of {@code choices} (from
     * {@code from}) that leads to a configuration not yet covered.
     */
    private boolean takeEffect(Entry call, List<RegisterState> choices, int from, Pass pass) {
        int op = call.op;
        boolean reusable = relaxed && groups.poolable[op];
        if (!reusable) {
            flip(op);
        }
        for (int i = from; i < choices.size(); i++) {
            RegisterState next = choices.get(i);
            if (!definite[op] && next.equals(state)) {
                continue; // a no-op: deferring it past the end is as good
            }
            if (explored.add(definiteTaken, definiteHash, unknownTaken, next)) {
                stack.add(new Frame(call, state, choices, i, !reusable, pass));
                state = next;
                if (!reusable) {
                    CallList.lift(call);
                    taken[op] = true;
                    definitePending -= definite[op] ? 1 : 0;
                }
                return true;
            }
        }
        if (!reusable) {
            flip(op);
        }
        return false;
    }

    private void undo(Frame frame) {
        state = frame.before;
        if (frame.lifted) {
            int op = frame.call.op;
            flip(op);
            CallList.unlift(frame.call);
            taken[op] = false;
            definitePending += definite[op] ? 1 : 0;
        }
    }

    private void flip(int op) {
        if (definite[op]) {
            int bit = definiteBit[op];
            definiteTaken[bit >>> 6] ^= 1L << bit;
            definiteHash ^= zobrist[bit];
        } else {
            int bit = groups.bit[op];
            unknownTaken[bit >>> 6] ^= 1L << bit;
        }
    }

    /**
     * Deepest by operations of known outcome, then shortest: unknown ones can lengthen a prefix
     * without explaining anything.
     */
    private void rememberIfDeepest() {
        if (deepestPrefix == null || definitePending < deepestPending
                || definitePending == deepestPending && stack.size() < deepestPrefix.size()) {
            deepestPrefix = List.copyOf(stack);
            deepestPending = definitePending;
            stateAfterDeepest = state;
        }
    }

    private KeyResult notLinearizable() {
        List<OperationRef> prefix = deepestPrefix.stream().map(f -> ops.get(f.call.op)).toList();
        boolean[] placed = new boolean[ops.size()];
        deepestPrefix.forEach(f -> placed[f.call.op] = true);
        // Real time allows next exactly the operations invoked before the earliest pending response.
        long windowEnd = Long.MAX_VALUE;
        for (int i = 0; i < ops.size(); i++) {
            if (!placed[i] && definite[i]) {
                windowEnd = Math.min(windowEnd, ops.get(i).operation().completedAt());
            }
        }
        List<KeyViolation.Unplaceable> unplaceable = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i).operation();
            if (!placed[i] && definite[i] && op.invokedAt() <= windowEnd) {
                String reason = RegisterModel.step(stateAfterDeepest, modelOps[i]).isEmpty()
                        ? Impossibility.explain(stateAfterDeepest, op, ops)
                        : DEAD_END;
                unplaceable.add(new KeyViolation.Unplaceable(ops.get(i), reason));
            }
        }
        unplaceable.sort(Comparator.comparingLong(u -> u.operation().operation().invokedAt()));
        return result(Verdict.NOT_LINEARIZABLE, List.of(), new KeyViolation(prefix, stateAfterDeepest, unplaceable), null);
    }

    private KeyResult undecided(String why) {
        return result(Verdict.UNDECIDED, List.of(), null, why);
    }

    private KeyResult result(Verdict verdict, List<OperationRef> linearization, KeyViolation violation, String undecidedWhy) {
        return new KeyResult(key, verdict, ops.size(), steps, Duration.ZERO, linearization, violation, undecidedWhy);
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean flag : flags) {
            if (flag) {
                return true;
            }
        }
        return false;
    }

    /** A choice made: which operation took effect, from which state, and which of its possible outcomes. */
    private record Frame(Entry call, RegisterState before, List<RegisterState> choices, int choice, boolean lifted, Pass pass) {
    }
}
