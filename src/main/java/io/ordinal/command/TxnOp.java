package io.ordinal.command;

/** One operation of a transaction branch. */
public sealed interface TxnOp permits TxnOp.Put, TxnOp.Delete, TxnOp.Get, TxnOp.DeletePrefix {

    /** Set a key (attached to {@code lease}, 0 for none). */
    record Put(byte[] key, byte[] value, long lease) implements TxnOp {
    }

    /** Delete a key if it exists. */
    record Delete(byte[] key) implements TxnOp {
    }

    /** Read a key, as the transaction's earlier operations left it. */
    record Get(byte[] key) implements TxnOp {
    }

    /** Delete every key that starts with {@code prefix}. */
    record DeletePrefix(byte[] prefix) implements TxnOp {
    }
}
