package io.ordinal.storage;

import io.ordinal.command.OrdinalException;

/**
 * The store cannot serve: RocksDB failed (disk full, I/O error, corruption), or the replica has closed
 * it (to install a snapshot, or to stop). Not a client's fault.
 */
public class StorageException extends OrdinalException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
