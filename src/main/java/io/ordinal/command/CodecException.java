package io.ordinal.command;

/** Bytes that are not a valid encoding: of a log entry, a query or an answer. */
public final class CodecException extends OrdinalException {
    public CodecException(String message) {
        super(message);
    }
}
