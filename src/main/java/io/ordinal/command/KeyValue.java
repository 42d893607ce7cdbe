package io.ordinal.command;

/** A stored key: its value (null when only keys were asked for) and its modRevision. */
public record KeyValue(byte[] key, byte[] value, long modRevision) {
}
