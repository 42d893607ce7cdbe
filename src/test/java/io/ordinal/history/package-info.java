/**
 * A linearizability checker for recorded client histories of the key-value API (test scope).
 *
 * <h2>Use</h2>
 * A workload records one {@link io.ordinal.history.Operation} per request (client, key, invocation
 * and completion {@code System.nanoTime()}, {@link io.ordinal.history.Request},
 * {@link io.ordinal.history.Response}) into a {@link io.ordinal.history.History.Builder} or a
 * {@link io.ordinal.history.HistoryFile#appender}, ends with one linearizable read of every key it
 * wrote, and calls {@code new LinearizabilityChecker(budget).check(history)}. The
 * {@link io.ordinal.history.CheckResult} has a verdict per key, the store-wide revision violations
 * and a {@link io.ordinal.history.CheckResult#report() report}. A saved run is checked again with
 * {@link io.ordinal.history.CheckHistoryFile}. {@link io.ordinal.history.LostWrites} names the
 * acknowledged writes a run's final reads no longer show.
 *
 * <h2>What is modelled</h2>
 * Each key is a register with a revision ({@link io.ordinal.history.RegisterModel},
 * {@link io.ordinal.history.RegisterState}): absent, or a value with its modRevision, plus a
 * <em>revision floor</em>, the least the key's last revision can be. An acknowledged write with
 * revision N needs N above the floor and its previousRevision equal to the modRevision (0: absent);
 * a read must return the value and the modRevision; a {@code 412} needs the condition false and its
 * currentRevision equal to the modRevision; a {@code 404} needs the key absent. Revisions come from
 * the contract and the implementation (the Raft log index): strictly increasing store-wide, so per
 * key, and a delete takes one too — so after a delete the next write's revision must exceed the
 * revision before the delete <em>plus one</em>, a little stricter than "greater than the write
 * before the delete", and sound because the delete's revision lies in between.
 *
 * <h2>Unknown outcomes</h2>
 * An operation whose outcome the client never learned (timeout, connection error, {@code 503},
 * {@code 5xx}) responds at +infinity: it may take effect at any point after its invocation, or never
 * (the same as taking effect after everything else). Reads of unknown outcome are dropped. An
 * unknown write that takes effect gets a revision nobody has seen: the state holds it as
 * <em>unseen</em>, bounded below by the floor, and the first response that names it (a read's
 * modRevision, a previousRevision, a {@code 412}'s currentRevision, a successful If-Match) fixes it,
 * in that candidate linearization, to that one number; later responses must agree. Its revision
 * also raises the floor by one, so a chain of k unseen writes forces the next known revision at least
 * k higher. This never rejects a valid history (every bound used is implied by the contract) and
 * still catches a value shown with two revisions, an unseen revision named below the revision it
 * overwrote, or a chain that does not fit between two known revisions. An unknown If-Match over an
 * unseen modRevision may or may not apply; both are explored.
 *
 * <h2>The search</h2>
 * Per key, Wing–Gong–Lowe with a memo of (operations taken, state), as Porcupine does, plus
 * reductions that keep it exact, each argued where it is implemented: configurations covered by an
 * explored one are skipped ({@link io.ordinal.history.ExploredConfigurations}); an operation that
 * changes nothing and fits the state is taken at once (the observer pass in
 * {@link io.ordinal.history.WglSearch}); unknown writes whose value no read returned are
 * interchangeable within a group ({@link io.ordinal.history.UnreadValues},
 * {@link io.ordinal.history.EffectGroups}); and a relaxed search that lets such writes take effect
 * any number of times finds most violations before the exact search runs. Every key has a
 * {@link io.ordinal.history.Budget} (time, steps, memo memory); a key that exceeds it is UNDECIDED.
 * Across keys, without search: revisions never go backwards in real time
 * ({@link io.ordinal.history.RevisionOrderCheck}) and a revision names one key and one value
 * ({@link io.ordinal.history.RevisionIdentityCheck}).
 *
 * <h2>Not covered</h2>
 * Reads with {@code consistency=stale}, list requests and the cluster endpoint are not modelled. The
 * per-key search does not know that an unseen revision cannot be another key's revision (the
 * store-wide checks see only revisions that responses name).
 */
package io.ordinal.history;
