package io.ordinal.history;

import io.ordinal.history.Request.Create;
import io.ordinal.history.Request.Delete;
import io.ordinal.history.Request.DeleteIfMatch;
import io.ordinal.history.Request.Put;
import io.ordinal.history.Request.PutIfMatch;
import io.ordinal.history.Request.Read;
import io.ordinal.history.Response.Deleted;
import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.NotFound;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Unknown;
import io.ordinal.history.Response.Written;

import java.util.List;

/**
 * The sequential specification of one key of the API: given the state before an operation takes
 * effect, the states it may leave, or none when its response could not have come from that state.
 *
 * <p>An operation of unknown outcome is always possible: linearized at a point, it does what the
 * request does in that state (a put writes, an If-Match write applies exactly when its revision is
 * current). "It never took effect" needs no transition of its own: the search may defer it past every
 * other operation, where its effect is seen by nobody. The one real choice is an unknown If-Match
 * whose expected revision meets an unseen modRevision: either they are equal (the write applies and
 * the modRevision is revealed) or they are not (nothing changes); both states are returned.
 */
final class RegisterModel {

    private RegisterModel() {
    }

    static List<RegisterState> step(RegisterState state, Operation op) {
        Request request = op.request();
        Response response = op.response();
        if (request instanceof Read) {
            return read(state, response);
        } else if (request instanceof Put put) {
            return put(state, put.value(), response);
        } else if (request instanceof PutIfMatch cas) {
            return putIfMatch(state, cas, response);
        } else if (request instanceof Create create) {
            return create(state, create.value(), response);
        } else if (request instanceof Delete) {
            return delete(state, response);
        } else {
            return deleteIfMatch(state, ((DeleteIfMatch) request).revision(), response);
        }
    }

    private static List<RegisterState> read(RegisterState state, Response response) {
        if (response instanceof Found found) {
            return state.isPresent() && state.value().equals(found.value())
                    ? possible(state.withRevisionRevealedAs(found.modRevision()))
                    : List.of();
        } else if (response instanceof NotFound) {
            return state.isPresent() ? List.of() : List.of(state);
        }
        return List.of(state); // an unknown read tells nothing; the checker drops them anyway
    }

    private static List<RegisterState> put(RegisterState state, String value, Response response) {
        if (response instanceof Written written) {
            RegisterState before = observed(state, written.previousRevision());
            return before != null && written.revision() > before.revisionFloor()
                    ? List.of(RegisterState.present(value, written.revision()))
                    : List.of();
        }
        return List.of(RegisterState.unrevealed(value, state.revisionFloor()));
    }

    private static List<RegisterState> putIfMatch(RegisterState state, PutIfMatch cas, Response response) {
        if (response instanceof Written written) {
            if (!state.isPresent() || written.previousRevision() != cas.revision()) {
                return List.of();
            }
            RegisterState before = state.withRevisionRevealedAs(cas.revision());
            return before != null && written.revision() > before.revisionFloor()
                    ? List.of(RegisterState.present(cas.value(), written.revision()))
                    : List.of();
        } else if (response instanceof PreconditionFailed failed) {
            return conditionFailed(state, cas.revision(), failed.currentRevision());
        }
        return unknownIfMatch(state, cas.revision(), RegisterState.unrevealed(cas.value(), state.revisionFloor()),
                RegisterState.unrevealed(cas.value(), cas.revision()));
    }

    private static List<RegisterState> create(RegisterState state, String value, Response response) {
        if (response instanceof Written written) {
            return !state.isPresent() && written.previousRevision() == 0 && written.revision() > state.revisionFloor()
                    ? List.of(RegisterState.present(value, written.revision()))
                    : List.of();
        } else if (response instanceof PreconditionFailed failed) {
            return state.isPresent() && failed.currentRevision() > 0
                    ? possible(state.withRevisionRevealedAs(failed.currentRevision()))
                    : List.of();
        }
        return List.of(state.isPresent() ? state : RegisterState.unrevealed(value, state.revisionFloor()));
    }

    private static List<RegisterState> delete(RegisterState state, Response response) {
        if (response instanceof Deleted) {
            return state.isPresent() ? List.of(deleted(state.revisionFloor())) : List.of();
        } else if (response instanceof NotFound) {
            return state.isPresent() ? List.of() : List.of(state);
        }
        return List.of(state.isPresent() ? deleted(state.revisionFloor()) : state);
    }

    private static List<RegisterState> deleteIfMatch(RegisterState state, long revision, Response response) {
        if (response instanceof Deleted) {
            RegisterState before = state.isPresent() ? state.withRevisionRevealedAs(revision) : null;
            return before == null ? List.of() : List.of(deleted(before.revisionFloor()));
        } else if (response instanceof PreconditionFailed failed) {
            return conditionFailed(state, revision, failed.currentRevision());
        }
        return unknownIfMatch(state, revision, deleted(state.revisionFloor()), deleted(revision));
    }

    /** The state before a write that reports {@code previousRevision} (0: the key was absent), or null. */
    private static RegisterState observed(RegisterState state, long previousRevision) {
        if (!state.isPresent()) {
            return previousRevision == 0 ? state : null;
        }
        return previousRevision > 0 ? state.withRevisionRevealedAs(previousRevision) : null;
    }

    /** A {@code 412} to {@code If-Match: expected}: the key was absent (current 0) or at another revision. */
    private static List<RegisterState> conditionFailed(RegisterState state, long expected, long current) {
        if (!state.isPresent()) {
            return current == 0 ? List.of(state) : List.of();
        }
        return current != expected && current > 0 ? possible(state.withRevisionRevealedAs(current)) : List.of();
    }

    /**
     * An If-Match write of unknown outcome linearized here: applies exactly when the key is at
     * {@code expected}. {@code appliedOverKnown} is the result over a known modRevision,
     * {@code appliedOverUnseen} the result when an unseen modRevision turns out to be {@code expected}.
     */
    private static List<RegisterState> unknownIfMatch(RegisterState state, long expected,
                                                      RegisterState appliedOverKnown, RegisterState appliedOverUnseen) {
        if (!state.isPresent()) {
            return List.of(state);
        }
        if (state.isRevealed()) {
            return List.of(state.modRevision() == expected ? appliedOverKnown : state);
        }
        // Not applying forgets that the unseen modRevision is not `expected`. That loses nothing: an
        // operation that changes nothing here could as well be deferred past everything else.
        return expected >= state.revisionFloor() ? List.of(appliedOverUnseen, state) : List.of(state);
    }

    private static RegisterState deleted(long floorBefore) {
        return RegisterState.absent(floorBefore + 1);
    }

    private static List<RegisterState> possible(RegisterState state) {
        return state == null ? List.of() : List.of(state);
    }
}
