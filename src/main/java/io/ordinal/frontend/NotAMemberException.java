package io.ordinal.frontend;

/** An operator named a replica that is not a voting member of the group (leader transfer). */
public class NotAMemberException extends RuntimeException {
    public NotAMemberException(String message) {
        super(message);
    }
}
