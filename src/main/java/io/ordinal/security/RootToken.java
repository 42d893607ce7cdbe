package io.ordinal.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bootstrap root token, read once at start from {@code ordinal.security.root-token-file}: its first
 * line, without surrounding blanks. A token in the store's format ({@code bin/kv-local up --secure} makes
 * one) or any printable line of at least 22 characters (about 128 bits; operators may bring their own).
 */
public final class RootToken {

    static final int MIN_LENGTH = 22;

    private RootToken() {
    }

    /** @throws IllegalStateException naming the file (never its content) when it holds no usable token */
    public static String read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the root token file " + file, e);
        }
        String token = lines.isEmpty() ? "" : lines.get(0).strip();
        if (token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalStateException("the root token file " + file + " must hold one line of at least "
                    + MIN_LENGTH + " printable ASCII characters, without blanks");
        }
        return token;
    }
}
