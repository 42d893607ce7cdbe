package io.ordinal.history;

import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.Written;

import java.util.List;

/** Words for why an operation's response cannot follow a state, for violation reports. */
final class Impossibility {

    private Impossibility() {
    }

    static String explain(RegisterState state, Operation op, List<OperationRef> keyOperations) {
        String why = "its response cannot follow the state " + state;
        if (op.response() instanceof Found found && !written(found.value(), keyOperations)) {
            return why + "; no operation on this key writes \"" + found.value() + '"';
        }
        if (op.response() instanceof Written written && written.revision() <= state.revisionFloor()) {
            return why + "; its revision " + written.revision() + " is not above the key's last revision";
        }
        return why;
    }

    private static boolean written(String value, List<OperationRef> keyOperations) {
        return keyOperations.stream()
                .filter(o -> o.operation().outcome() != Outcome.FAILED)
                .anyMatch(o -> value.equals(o.operation().request().writtenValue()));
    }
}
