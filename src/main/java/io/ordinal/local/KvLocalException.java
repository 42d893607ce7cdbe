package io.ordinal.local;

/** What kv-local says when it cannot do what it was asked: printed as "kv-local: message", exit status 1. */
final class KvLocalException extends RuntimeException {

    KvLocalException(String message) {
        super(message);
    }
}
