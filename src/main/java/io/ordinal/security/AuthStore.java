package io.ordinal.security;

import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.ordinal.command.Command;
import io.ordinal.command.Compare;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import io.ordinal.command.WriteResult;
import io.ordinal.security.AuthRecords.Kind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The access records, read and written through the cluster like every key (linearizable reads; each
 * write one log entry, so a record and the check of the roles it names are one atomic step). What this
 * process writes, its {@link AuthCache} takes at once.
 */
public final class AuthStore {

    private static final int PAGE = 1000;

    private final KvClient client;
    private final AuthCache cache;

    public AuthStore(KvClient client, AuthCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /** A token as issued: the only time its secret is known. */
    public record Issued(String token, TokenRecord record) {
    }

    public CompletableFuture<List<Role>> roles() {
        return list(Kind.ROLE, AuthRecords::role);
    }

    public CompletableFuture<Optional<Role>> role(String name) {
        return get(Kind.ROLE, name, AuthRecords::role);
    }

    /** @return whether the role was created (else replaced) */
    public CompletableFuture<Boolean> putRole(Role role) {
        return put(Kind.ROLE, role.name(), AuthRecords.encode(role), List.of());
    }

    public CompletableFuture<List<TokenRecord>> tokens() {
        return list(Kind.TOKEN, AuthRecords::token);
    }

    /** Issues a token with {@code roles}; fails with {@link UnknownRoleException} if one does not exist. */
    public CompletableFuture<Issued> issueToken(List<String> roles, String description, Instant expiresAt) {
        String token = Tokens.generate();
        TokenRecord record = new TokenRecord(Tokens.idOf(token), Tokens.hash(token), roles, description, expiresAt);
        return put(Kind.TOKEN, record.id(), AuthRecords.encode(record), roles).thenApply(created -> new Issued(token, record));
    }

    public CompletableFuture<List<Binding>> bindings() {
        return list(Kind.BINDING, AuthRecords::binding);
    }

    public CompletableFuture<Optional<Binding>> binding(String name) {
        return get(Kind.BINDING, name, AuthRecords::binding);
    }

    /** @return whether the binding was created (else replaced); fails with {@link UnknownRoleException} */
    public CompletableFuture<Boolean> putBinding(Binding binding) {
        return put(Kind.BINDING, binding.name(), AuthRecords.encode(binding), binding.roles());
    }

    /** @return whether there was such a record */
    public CompletableFuture<Boolean> delete(Kind kind, String name) {
        return client.write(new Command.Delete(kind.key(name), Precondition.NONE)).thenApply(result -> {
            if (result.outcome() == WriteResult.Outcome.DELETED) {
                cache.remember(kind, name, null, result.revision());
                return true;
            }
            return false;
        });
    }

    /**
     * Writes a record in one transaction that holds only if every role it names exists ({@code root}
     * always does), and reads the record's previous version in the same step.
     */
    private CompletableFuture<Boolean> put(Kind kind, String name, byte[] value, List<String> roles) {
        List<String> named = roles.stream().filter(r -> !r.equals(Role.ROOT)).distinct().toList();
        List<Compare> compares = named.stream()
                .map(r -> new Compare(Kind.ROLE.key(r), Compare.Target.EXISTS, Compare.Op.EQUAL, 1, null)).toList();
        List<TxnOp> failure = named.stream().<TxnOp>map(r -> new TxnOp.Get(Kind.ROLE.key(r))).toList();
        byte[] key = kind.key(name);
        Command.Txn txn = new Command.Txn(compares, List.of(new TxnOp.Get(key), new TxnOp.Put(key, value, 0)), failure);
        return client.txn(txn).thenApply(result -> {
            if (!result.succeeded()) {
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < named.size(); i++) {
                    if (((TxnResult.Get) result.results().get(i)).found() == null) {
                        missing.add(named.get(i));
                    }
                }
                throw new UnknownRoleException(missing);
            }
            cache.remember(kind, name, value, result.revision());
            return ((TxnResult.Get) result.results().get(0)).found() == null;
        });
    }

    private <T> CompletableFuture<Optional<T>> get(Kind kind, String name, BiFunction<String, byte[], T> decode) {
        return client.get(kind.key(name), Consistency.LINEARIZABLE)
                .thenApply(kv -> Optional.ofNullable(kv).map(found -> decode.apply(name, found.value())));
    }

    private <T> CompletableFuture<List<T>> list(Kind kind, BiFunction<String, byte[], T> decode) {
        return page(kind, null, new ArrayList<>(), decode);
    }

    private <T> CompletableFuture<List<T>> page(Kind kind, byte[] after, List<T> into, BiFunction<String, byte[], T> decode) {
        return client.range(new Query.Range(kind.prefix(), after, PAGE, false), Consistency.LINEARIZABLE)
                .thenCompose(page -> {
                    for (KeyValue kv : page.items()) {
                        into.add(decode.apply(kind.nameIn(kv.key()), kv.value()));
                    }
                    return page.more() ? page(kind, page.items().get(page.items().size() - 1).key(), into, decode)
                            : CompletableFuture.completedFuture(into);
                });
    }
}
