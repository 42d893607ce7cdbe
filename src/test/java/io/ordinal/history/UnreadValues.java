package io.ordinal.history;

import io.ordinal.history.Request.Create;
import io.ordinal.history.Request.Put;
import io.ordinal.history.Request.PutIfMatch;
import io.ordinal.history.Response.Found;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Erases, for the search, the values of unknown writes that no read returned. The model compares
 * values only when a read returns one, so states that differ only in such values behave alike; with
 * one shared placeholder they become equal, and unknown writes that differ only in their value become
 * interchangeable. Values of acknowledged writes are kept: their known revisions tell them apart
 * anyway, and reports read better with them.
 */
final class UnreadValues {

    private UnreadValues() {
    }

    static Operation[] erase(List<OperationRef> ops) {
        Set<String> read = new HashSet<>();
        for (OperationRef ref : ops) {
            if (ref.operation().response() instanceof Found found) {
                read.add(found.value());
            }
        }
        String placeholder = "(a value no read returned)";
        while (read.contains(placeholder)) {
            placeholder = "(" + placeholder + ")"; // a value some read returned: the placeholder must differ
        }
        Operation[] erased = new Operation[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i).operation();
            String value = op.request().writtenValue();
            erased[i] = op.isUnknown() && value != null && !read.contains(value) ? withValue(op, placeholder) : op;
        }
        return erased;
    }

    private static Operation withValue(Operation op, String value) {
        Request request = op.request();
        Request erased;
        if (request instanceof Put) {
            erased = new Put(value);
        } else if (request instanceof PutIfMatch cas) {
            erased = new PutIfMatch(value, cas.revision());
        } else {
            erased = new Create(value);
        }
        return new Operation(op.client(), op.key(), op.invokedAt(), op.completedAt(), erased, op.response());
    }
}
