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
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties of the model that the search's shortcuts rely on, checked over a grid of states and
 * operations: each shortcut is only as sound as these.
 */
class RegisterModelTest {

    private static final long[] REVISIONS = {0, 1, 3, 4, 5, 7, 9};

    private static List<RegisterState> states() {
        List<RegisterState> states = new ArrayList<>();
        for (long floor : REVISIONS) {
            states.add(RegisterState.absent(floor));
            if (floor > 0) {
                states.add(RegisterState.present("a", floor));
                states.add(RegisterState.present("b", floor));
                states.add(RegisterState.unrevealed("a", floor - 1));
                states.add(RegisterState.unrevealed("b", floor - 1));
            }
        }
        return states;
    }

    private static List<Request> requests() {
        List<Request> requests = new ArrayList<>(List.of(new Read(), new Put("a"), new Put("c"), new Create("a"), new Create("c"), new Delete()));
        for (long r : REVISIONS) {
            requests.add(new PutIfMatch("c", r));
            requests.add(new DeleteIfMatch(r));
        }
        return requests;
    }

    private static List<Response> responses() {
        List<Response> responses = new ArrayList<>(List.of(new Unknown(), new NotFound(), new Deleted()));
        for (long r : REVISIONS) {
            responses.add(new PreconditionFailed(r));
            for (long n : REVISIONS) {
                if (n > 0) {
                    responses.add(new Written(n, r));
                }
            }
            if (r > 0) {
                responses.add(new Found("a", r));
                responses.add(new Found("b", r));
            }
        }
        return responses;
    }

    /** Every operation the API can answer, over the grid. */
    private static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Request request : requests()) {
            for (Response response : responses()) {
                try {
                    ops.add(new Operation(1, "k", 0, 1, request, response));
                } catch (IllegalArgumentException notAnAnswerTheApiGives) {
                    // skip
                }
            }
        }
        return ops;
    }

    @Test
    void anOperationThatChangesNothingLeavesAKnownStateAsItIsOrDoesNotFit() {
        for (RegisterState state : states()) {
            if (!state.isRevealed()) {
                continue;
            }
            for (Operation op : operations()) {
                Response response = op.response();
                if (op.isUnknown() || response instanceof Written || response instanceof Deleted) {
                    continue;
                }
                assertThat(RegisterModel.step(state, op)).as("%s after %s", op.describe(), state)
                        .isIn(List.of(), List.of(state));
            }
        }
    }

    @Test
    void anOperationOfUnknownOutcomeCanAlwaysTakeEffect() {
        for (RegisterState state : states()) {
            for (Operation op : operations()) {
                if (op.isUnknown()) {
                    assertThat(RegisterModel.step(state, op)).as("%s after %s", op.describe(), state).isNotEmpty();
                }
            }
        }
    }

    @Test
    void aLowerRevisionFloorAllowsEverythingAHigherOneDoes() {
        for (RegisterState higher : states()) {
            for (long lowerFloor = 0; lowerFloor < higher.revisionFloor(); lowerFloor++) {
                if (higher.isPresent() && higher.isRevealed()) {
                    continue; // a known revision is the floor itself
                }
                RegisterState lower = new RegisterState(higher.value(), higher.modRevision(), lowerFloor);
                for (Operation op : operations()) {
                    List<RegisterState> fromLower = RegisterModel.step(lower, op);
                    for (RegisterState next : RegisterModel.step(higher, op)) {
                        assertThat(fromLower).as("%s after %s vs %s", op.describe(), lower, higher)
                                .anySatisfy(n -> {
                                    assertThat(n.value()).isEqualTo(next.value());
                                    assertThat(n.modRevision()).isEqualTo(next.modRevision());
                                    assertThat(n.revisionFloor()).isLessThanOrEqualTo(next.revisionFloor());
                                });
                    }
                }
            }
        }
    }

    @Test
    void aDeleteTakesARevisionTheNextWriteMustExceed() {
        Operation delete = new Operation(1, "k", 0, 1, new Delete(), new Deleted());
        List<RegisterState> after = RegisterModel.step(RegisterState.present("a", 4), delete);
        assertThat(after).containsExactly(RegisterState.absent(5));
    }

    @Test
    void anUnknownIfMatchOverAnUnseenRevisionMayOrMayNotHaveApplied() {
        Operation cas = new Operation(1, "k", 0, 1, new PutIfMatch("c", 6), new Unknown());
        RegisterState unseen = RegisterState.unrevealed("a", 3);
        assertThat(RegisterModel.step(unseen, cas)).containsExactly(RegisterState.unrevealed("c", 6), unseen);
        assertThat(RegisterModel.step(RegisterState.unrevealed("a", 8), cas)).containsExactly(RegisterState.unrevealed("a", 8));
    }
}
