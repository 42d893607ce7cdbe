package io.ordinal.command;

import java.util.List;

/** A page of keys in byte order; {@code more} is true exactly when further keys follow the last one. */
public record RangeResult(List<KeyValue> items, boolean more) {
}
