package io.ordinal.history;

/** How definite a response is; the checker's treatment of an operation hangs on this. */
public enum Outcome {
    /** Definite success. */
    OK,
    /** A definite {@code 4xx} ({@code 404}, {@code 412}) that changed nothing. */
    FAILED,
    /** The client never learned the outcome; a write may take effect at any time after its invocation. */
    UNKNOWN
}
