package io.ordinal.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a grant on a prefix allows: reading, or reading and writing (etcd's READ and READWRITE). */
public enum Access {
    READ("read"),
    READWRITE("readwrite");

    private final String name;

    Access(String name) {
        this.name = name;
    }

    @JsonValue
    public String json() {
        return name;
    }

    /** @throws IllegalArgumentException for anything but {@code read} or {@code readwrite} */
    @JsonCreator
    public static Access of(String name) {
        for (Access a : values()) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("access is read or readwrite; got '" + name + "'");
    }

    /** Whether a grant of this access allows {@code needed}: readwrite allows reading too. */
    public boolean allows(Access needed) {
        return this == READWRITE || needed == READ;
    }
}
