package io.ordinal.history;

import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Written;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One change to a linearizable history that makes it certainly not linearizable, whatever the rest
 * of it. Each kind picks only sites where the argument holds (written beside it); a history may offer
 * no such site, and the kind then declines.
 */
enum Mutation {

    /**
     * A read returns a value that real time says was already overwritten: W' completed, then an
     * acknowledged write X on the key was invoked and completed, then the read was invoked. Every
     * linearization has W' &lt; X &lt; read, and unique values never come back.
     */
    STALE_READ((ops, random) -> {
        List<int[]> sites = new ArrayList<>();
        for (int r = 0; r < ops.size(); r++) {
            Operation read = ops.get(r);
            if (!read.request().isRead() || read.outcome() != Outcome.OK) {
                continue;
            }
            long lastOverwriteInvoked = Long.MIN_VALUE; // of acknowledged writes that completed before the read
            for (Operation x : ops) {
                if (x.key().equals(read.key()) && x.outcome() == Outcome.OK && !x.request().isRead()
                        && x.completedAt() < read.invokedAt()) {
                    lastOverwriteInvoked = Math.max(lastOverwriteInvoked, x.invokedAt());
                }
            }
            for (int w = 0; w < ops.size(); w++) {
                Operation old = ops.get(w);
                if (old.key().equals(read.key()) && old.writtenRevision() > 0 && old.completedAt() < lastOverwriteInvoked) {
                    sites.add(new int[] {r, w});
                }
            }
        }
        return pick(sites, random).map(site -> {
            Operation read = ops.get(site[0]);
            Operation old = ops.get(site[1]);
            return replace(ops, site[0], withResponse(read, new Found(old.request().writtenValue(), old.writtenRevision())));
        });
    }),

    /** A read returns a value no operation wrote. */
    GHOST_VALUE((ops, random) -> pick(indices(ops, op -> op.response() instanceof Found), random).map(i -> {
        Found found = (Found) ops.get(i).response();
        return replace(ops, i, withResponse(ops.get(i), new Found("ghost", found.modRevision())));
    })),

    /** A read's modRevision differs from the revision acknowledged to the write of its value. */
    WRONG_MOD_REVISION((ops, random) -> pick(indices(ops, op -> op.response() instanceof Found found
            && ops.stream().anyMatch(w -> w.writtenRevision() > 0 && found.value().equals(w.request().writtenValue()))), random)
            .map(i -> {
                Found found = (Found) ops.get(i).response();
                return replace(ops, i, withResponse(ops.get(i), new Found(found.value(), found.modRevision() + 1 + random.nextInt(3))));
            })),

    /**
     * A write is acknowledged with a revision not above one shown before it was invoked (any key):
     * the store-wide order check must see it.
     */
    REVISION_BACKWARDS((ops, random) -> {
        List<int[]> sites = new ArrayList<>();
        for (int a = 0; a < ops.size(); a++) {
            for (int b = 0; b < ops.size(); b++) {
                if (ops.get(a).writtenRevision() > 0 && ops.get(b).writtenRevision() > 0
                        && ops.get(a).completedAt() < ops.get(b).invokedAt()) {
                    sites.add(new int[] {a, b});
                }
            }
        }
        return pick(sites, random).map(site -> {
            Operation b = ops.get(site[1]);
            long shown = ops.get(site[0]).writtenRevision();
            long revision = Math.max(1, shown - random.nextInt(3));
            return replace(ops, site[1], withResponse(b, new Written(revision, ((Written) b.response()).previousRevision())));
        });
    }),

    /** Two acknowledged writes (any keys) get one revision. */
    DUPLICATE_REVISION((ops, random) -> {
        List<Integer> writes = indices(ops, op -> op.writtenRevision() > 0);
        if (writes.size() < 2) {
            return Optional.empty();
        }
        Collections.shuffle(writes, random);
        Operation a = ops.get(writes.get(0));
        Operation b = ops.get(writes.get(1));
        return Optional.of(replace(ops, writes.get(1),
                withResponse(b, new Written(a.writtenRevision(), ((Written) b.response()).previousRevision()))));
    }),

    /**
     * An If-Match write that failed is turned into a second success on a revision another If-Match
     * write already won: after the winner, the key's revision is above the expected one for good.
     */
    SECOND_IF_MATCH_WINNER((ops, random) -> {
        List<Integer> sites = indices(ops, loser -> loser.request() instanceof Request.PutIfMatch cas
                && loser.response() instanceof PreconditionFailed
                && ops.stream().anyMatch(winner -> winner.key().equals(loser.key())
                && winner.request() instanceof Request.PutIfMatch won && won.revision() == cas.revision()
                && winner.writtenRevision() > 0));
        long fresh = 1 + ops.stream().mapToLong(Operation::writtenRevision).max().orElse(0) + 1000;
        return pick(sites, random).map(i -> replace(ops, i,
                withResponse(ops.get(i), new Written(fresh, ((Request.PutIfMatch) ops.get(i).request()).revision()))));
    }),

    /** A {@code 412} names, as the key's current revision, a revision acknowledged to a write of another key. */
    FOREIGN_CURRENT_REVISION((ops, random) -> {
        List<int[]> sites = new ArrayList<>();
        for (int f = 0; f < ops.size(); f++) {
            for (int w = 0; w < ops.size(); w++) {
                if (ops.get(f).response() instanceof PreconditionFailed && ops.get(w).writtenRevision() > 0
                        && !ops.get(w).key().equals(ops.get(f).key())) {
                    sites.add(new int[] {f, w});
                }
            }
        }
        return pick(sites, random).map(site -> replace(ops, site[0],
                withResponse(ops.get(site[0]), new PreconditionFailed(ops.get(site[1]).writtenRevision()))));
    });

    private final BiFunction<List<Operation>, Random, Optional<List<Operation>>> mutate;

    Mutation(BiFunction<List<Operation>, Random, Optional<List<Operation>>> mutate) {
        this.mutate = mutate;
    }

    /** @return the mutated history, or empty when this history has no site for this kind */
    Optional<History> apply(History history, Random random) {
        return mutate.apply(history.operations(), random).map(History::of);
    }

    private static List<Integer> indices(List<Operation> ops, Predicate<Operation> where) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (where.test(ops.get(i))) {
                found.add(i);
            }
        }
        return found;
    }

    private static <T> Optional<T> pick(List<T> sites, Random random) {
        return sites.isEmpty() ? Optional.empty() : Optional.of(sites.get(random.nextInt(sites.size())));
    }

    private static Operation withResponse(Operation op, Response response) {
        return new Operation(op.client(), op.key(), op.invokedAt(), op.completedAt(), op.request(), response);
    }

    private static List<Operation> replace(List<Operation> ops, int index, Operation op) {
        List<Operation> changed = new ArrayList<>(ops);
        changed.set(index, op);
        return changed;
    }
}
