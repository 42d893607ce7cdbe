package io.ordinal.storage;

/** RocksDB failed (disk full, I/O error, corruption): not a client's fault. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
