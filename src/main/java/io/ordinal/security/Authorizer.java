package io.ordinal.security;

import io.ordinal.command.Command;
import io.ordinal.command.Compare;
import io.ordinal.command.TxnOp;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Every authorization rule, in one place (docs/security.md): what a principal needs for a key, a
 * listed or watched prefix, a transaction, a lease's keys, and which requests only {@code root} may
 * make. Each check throws {@link ForbiddenException} naming what is missing; callers check before they
 * build a command, so a refused request reads and writes nothing. No result is ever filtered.
 */
public final class Authorizer {

    private Authorizer() {
    }

    /** {@code needed} on one key: a grant on a prefix of it. */
    public static void key(Principal who, Access needed, byte[] key) {
        if (!allowed(who, needed, key)) {
            throw refused(who, needed, "key", key);
        }
    }

    /** Reading (listing, watching) every key under {@code prefix}: a grant on a prefix of it. */
    public static void prefix(Principal who, Access needed, byte[] prefix) {
        if (!allowed(who, needed, prefix)) {
            throw refused(who, needed, "prefix", prefix);
        }
    }

    /** Every key and prefix a transaction touches, both branches: read for compares and gets, readwrite for writes. */
    public static void txn(Principal who, Command.Txn txn) {
        for (Compare c : txn.compares()) {
            key(who, Access.READ, c.key());
        }
        for (var branch : java.util.List.of(txn.success(), txn.failure())) {
            for (TxnOp op : branch) {
                if (op instanceof TxnOp.Put put) {
                    key(who, Access.READWRITE, put.key());
                } else if (op instanceof TxnOp.Delete delete) {
                    key(who, Access.READWRITE, delete.key());
                } else if (op instanceof TxnOp.Get get) {
                    key(who, Access.READ, get.key());
                } else if (op instanceof TxnOp.DeletePrefix deletePrefix) {
                    prefix(who, Access.READWRITE, deletePrefix.prefix());
                }
            }
        }
    }

    /** What only {@code root} may do ({@code /v1/auth/*}, leader transfer, drills, snapshots). */
    public static void root(Principal who, String what) {
        if (!who.isRoot()) {
            throw new ForbiddenException(who.subject() + " may not " + what + ": only the role root may",
                    Map.of("role", Role.ROOT));
        }
    }

    private static boolean allowed(Principal who, Access needed, byte[] target) {
        return who.isRoot() || who.permissions().stream().anyMatch(p -> p.allows(needed, target));
    }

    private static ForbiddenException refused(Principal who, Access needed, String what, byte[] target) {
        String name = new String(target, StandardCharsets.UTF_8);
        return new ForbiddenException(who.subject() + " has no " + needed.json() + " permission on the " + what + " '"
                + name + "': none of its roles (" + String.join(", ", who.roles()) + ") grants " + needed.json()
                + " on a prefix of it", Map.of("access", needed.json(), what, name));
    }
}
