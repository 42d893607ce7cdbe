package io.ordinal.client;

import io.ordinal.command.OrdinalException;

/** An operator named a replica that is not a voting member of the group (leader transfer). */
public class NotAMemberException extends OrdinalException {
    public NotAMemberException(String message) {
        super(message);
    }
}
