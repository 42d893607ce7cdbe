package io.ordinal.history;

/**
 * What one key holds at a point of a candidate linearization.
 *
 * <p>{@code value} is null when the key is absent; {@code modRevision} is then 0. A value written by
 * an operation of unknown outcome has a revision nobody has seen yet: {@code modRevision} is then
 * {@link #UNREVEALED} until a later response names it (a read's ETag, a {@code previousRevision}, a
 * {@code 412}'s {@code currentRevision}, a successful {@code If-Match}), and from then on it is that
 * one number.
 *
 * <p>{@code revisionFloor} is the least the last revision taken by a write to this key can be; the
 * next write's revision must exceed it. It is exact when the last write's revision is known (then
 * {@code revisionFloor == modRevision}); after a write of unseen revision (an unknown write, or any
 * delete, whose {@code 204} carries no revision) it is the previous floor plus one, because revisions
 * are integers and each write takes a new one. A chain of k unseen writes therefore forces the next
 * known revision at least k above the last known one; nothing stronger holds per key, since other
 * keys' writes may take any revisions in between.
 */
public record RegisterState(String value, long modRevision, long revisionFloor) {

    public static final long UNREVEALED = -1;

    /** A key nobody has written. */
    public static final RegisterState INITIAL = absent(0);

    public static RegisterState absent(long revisionFloor) {
        return new RegisterState(null, 0, revisionFloor);
    }

    /** A value whose revision is known; it is also the last revision this key took. */
    public static RegisterState present(String value, long modRevision) {
        return new RegisterState(value, modRevision, modRevision);
    }

    /** A value written with an unseen revision, which exceeds {@code previousFloor}. */
    public static RegisterState unrevealed(String value, long previousFloor) {
        return new RegisterState(value, UNREVEALED, previousFloor + 1);
    }

    public boolean isPresent() {
        return value != null;
    }

    public boolean isRevealed() {
        return modRevision != UNREVEALED;
    }

    /**
     * The state in which the current value's revision is {@code revision}, or null when that cannot be:
     * a known revision must equal it, an unseen one must be at least the floor (it exceeds every
     * earlier revision of the key). The key must be present.
     */
    RegisterState withRevisionRevealedAs(long revision) {
        if (isRevealed()) {
            return modRevision == revision ? this : null;
        }
        return revision >= revisionFloor ? present(value, revision) : null;
    }

    @Override
    public String toString() {
        if (!isPresent()) {
            return "absent (last revision >= " + revisionFloor + ")";
        }
        return '"' + value + "\" modRevision=" + (isRevealed() ? String.valueOf(modRevision) : "unseen >= " + revisionFloor);
    }
}
