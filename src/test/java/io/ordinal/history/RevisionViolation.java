package io.ordinal.history;

import java.util.List;

/** A breach of a store-wide revision rule, found without any search. */
public record RevisionViolation(String description, List<OperationRef> operations) {

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(description).append('\n');
        operations.forEach(op -> out.append("    ").append(op).append('\n'));
        return out.toString();
    }
}
