package io.ordinal.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The WGL search's list: every operation's invocation and response, in real-time order, doubly
 * linked so that an operation that has taken effect can be lifted out and put back in constant time.
 * A response of unknown outcome sits at +infinity, after every other entry.
 */
final class CallList {

    static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        private Entry(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    final Entry head = new Entry(-1, true, Long.MIN_VALUE);
    private final Entry tail = new Entry(-1, false, Long.MAX_VALUE);

    /** @param definite per operation, whether its outcome is known (else its response is at +infinity) */
    CallList(List<OperationRef> ops, boolean[] definite) {
        List<Entry> entries = new ArrayList<>(2 * ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i).operation();
            Entry call = new Entry(i, true, op.invokedAt());
            Entry response = new Entry(i, false, definite[i] ? op.completedAt() : Long.MAX_VALUE);
            call.match = response;
            response.match = call;
            entries.add(call);
            entries.add(response);
        }
        // Unknown responses go after every other entry, so that a scan meets a known outcome's
        // response first. At equal times an invocation goes first: the two operations then count as
        // concurrent, which can only accept more histories, never reject a valid one.
        entries.sort(Comparator.<Entry>comparingLong(e -> e.time)
                .thenComparing(e -> !e.call && !definite[e.op])
                .thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.op));
        Entry previous = head;
        for (Entry e : entries) {
            previous.next = e;
            e.prev = previous;
            previous = e;
        }
        previous.next = tail;
        tail.prev = previous;
    }

    /** The first response still in the list: the end of the window of operations that may take effect next. */
    Entry firstResponse() {
        Entry e = head.next;
        while (e.call) {
            e = e.next;
        }
        return e;
    }

    /** Takes an operation (its invocation and its response) out of the list. */
    static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry response = call.match;
        response.prev.next = response.next;
        response.next.prev = response.prev;
    }

    /** Puts back what {@link #lift} took out, in the reverse order, so every neighbour is where it was. */
    static void unlift(Entry call) {
        Entry response = call.match;
        response.prev.next = response;
        response.next.prev = response;
        call.prev.next = call;
        call.next.prev = call;
    }
}
