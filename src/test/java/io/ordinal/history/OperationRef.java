package io.ordinal.history;

/** An operation with its id in the history, as reports name it. */
public record OperationRef(int id, Operation operation) {

    @Override
    public String toString() {
        return "#" + id + " " + operation.describe();
    }
}
