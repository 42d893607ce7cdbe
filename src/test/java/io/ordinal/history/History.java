package io.ordinal.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operations recorded in one run, in any order. An operation's position in {@link #operations()}
 * is its id in reports ({@code #12}) and, in a saved file, its line number minus one.
 *
 * <p>Written values are meant to be unique (so that a read names the write it saw), but the checker
 * does not rely on it: it compares modRevisions too, so a repeated value weakens the diagnosis, not
 * the verdict.
 */
public final class History {

    private final List<Operation> operations;

    private History(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    public static History of(Collection<Operation> operations) {
        return new History(new ArrayList<>(operations));
    }

    public static History of(Operation... operations) {
        return new History(List.of(operations));
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Operation> operations() {
        return operations;
    }

    public int size() {
        return operations.size();
    }

    /** @return for each key, in key order, the ids of its operations in history order */
    public Map<String, List<Integer>> idsByKey() {
        Map<String, List<Integer>> byKey = new TreeMap<>();
        for (int id = 0; id < operations.size(); id++) {
            byKey.computeIfAbsent(operations.get(id).key(), k -> new ArrayList<>()).add(id);
        }
        return byKey;
    }

    /** Collects operations from many client threads at once. */
    public static final class Builder {
        private final List<Operation> operations = new ArrayList<>();

        public synchronized Builder add(Operation operation) {
            operations.add(operation);
            return this;
        }

        public synchronized History build() {
            return new History(operations);
        }
    }
}
