package io.ordinal.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a lock workload: clients take a lock, and while they hold it append entries to one guarded
 * key, each append a transaction that compares the lock key's modRevision with the revision at which
 * the client took the lock (its fencing token). The guarded key's final value, read after the run,
 * must show the lock doing its job:
 * <ul>
 *   <li>holders never interleave: the entries of one tenure (a client and its token) form one
 *       contiguous run, the runs come in the order of their tokens, and within a run in the order the
 *       holder appended them;</li>
 *   <li>nothing acknowledged is lost: every append that was answered {@code succeeded} is in the value,
 *       and they appear in the order of the revisions they were answered with;</li>
 *   <li>nothing is invented or applied twice: every entry is one a client tried and was not told
 *       failed, and appears once.</li>
 * </ul>
 * Appends of unknown outcome may or may not be in the value. An entry is written {@code client:token:seq}
 * ({@link Append#entry()}); the value is the entries separated by spaces.
 */
public final class GuardedAppends {

    private GuardedAppends() {
    }

    /**
     * One append a client tried while it believed it held the lock.
     *
     * @param revision the revision the transaction was answered with when it succeeded, else 0
     */
    public record Append(int client, long token, int seq, Outcome outcome, long revision) {

        public String entry() {
            return entry(client, token, seq);
        }

        public static String entry(int client, long token, int seq) {
            return client + ":" + token + ":" + seq;
        }
    }

    /** The entries of a guarded value, in order. */
    public static List<String> entries(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split(" +"));
    }

    /** Every way the final value breaks the lock's guarantees; empty when it keeps them. */
    public static List<String> check(List<Append> appends, String finalValue) {
        List<String> problems = new ArrayList<>();
        List<String> entries = entries(finalValue);
        Map<String, Append> tried = new HashMap<>();
        appends.forEach(a -> tried.put(a.entry(), a));

        Map<String, Integer> position = new HashMap<>();
        Set<String> endedTenures = new HashSet<>();
        String tenure = null;
        Append last = null;
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            Append a = tried.get(entry);
            if (a == null) {
                problems.add("entry " + i + " '" + entry + "' is not an append any client tried");
                continue;
            }
            if (a.outcome() == Outcome.FAILED) {
                problems.add("entry " + i + " '" + entry + "' is an append its client was told failed (its compare did not hold)");
            }
            if (position.putIfAbsent(entry, i) != null) {
                problems.add("entry " + i + " '" + entry + "' was applied twice (first at entry " + position.get(entry) + ")");
                continue;
            }
            String thisTenure = a.client() + ":" + a.token();
            if (last != null && !thisTenure.equals(tenure)) {
                endedTenures.add(tenure);
                if (endedTenures.contains(thisTenure)) {
                    problems.add("holders interleave: entry " + i + " '" + entry + "' of tenure " + thisTenure
                            + " comes after tenure " + tenure + " took over from it");
                } else if (a.token() <= last.token()) {
                    problems.add("fencing tokens out of order: entry " + i + " '" + entry + "' (token " + a.token()
                            + ") follows '" + last.entry() + "' (token " + last.token() + ")");
                }
            } else if (last != null && a.seq() <= last.seq()) {
                problems.add("entry " + i + " '" + entry + "' comes after '" + last.entry() + "' of the same tenure, which the holder appended later");
            }
            tenure = thisTenure;
            last = a;
        }

        List<Append> acknowledged = appends.stream().filter(a -> a.outcome() == Outcome.OK)
                .sorted(Comparator.comparingLong(Append::revision)).toList();
        int previous = -1;
        Append before = null;
        for (Append a : acknowledged) {
            Integer at = position.get(a.entry());
            if (at == null) {
                problems.add("lost: the acknowledged append '" + a.entry() + "' (revision " + a.revision() + ") is not in the final value");
                continue;
            }
            if (at < previous) {
                problems.add("acknowledged appends out of order: '" + a.entry() + "' (revision " + a.revision() + ") is entry " + at
                        + ", before '" + before.entry() + "' (revision " + before.revision() + ") at entry " + previous);
            }
            previous = at;
            before = a;
        }
        return problems;
    }
}
