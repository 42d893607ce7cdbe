package io.ordinal.security;

import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.ordinal.client.Watcher;
import io.ordinal.command.Change;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Query;
import io.ordinal.security.AuthRecords.Kind;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The access records, in memory, in every process that serves the API: loaded from the store at
 * start and kept current by a watch of their key space, so that a change made through any frontend
 * (a revoked token) is seen by every other within a poll. Each poll's answer, even an empty one,
 * confirms that the records were current when it was sent; when no confirmation is younger than
 * {@code maxAge} (the feed broke: no replica answers), {@link #current()} is false and the records are
 * not trusted (requests that need them are refused) until a poll or a reload answers again.
 *
 * <p>A write made through this process is remembered at once ({@link #remember}), so that it is used
 * by the next request here; each record keeps the revision it was written at, so a late answer never
 * puts back an older version.
 */
public final class AuthCache implements Closeable {

    private static final Logger LOG = Logger.getLogger(AuthCache.class);
    private static final int PAGE = 1000;
    private static final long RETRY_MS = 500;

    private record Entry(long revision, Object record) {
    }

    private final KvClient client;
    private final Duration maxAge;
    private final Duration pollWait;
    /** Kind and name → the latest version seen (a deletion is kept as an entry with no record). */
    private volatile Map<String, Entry> records = new ConcurrentHashMap<>();
    private volatile long confirmedAt;
    private volatile boolean loaded;
    private volatile boolean closed;

    /**
     * @param maxAge   how old the last confirmation may be for the records to be trusted
     * @param pollWait how long each poll waits for a change (well under {@code maxAge})
     */
    public AuthCache(KvClient client, Duration maxAge, Duration pollWait) {
        this.client = client;
        this.maxAge = maxAge;
        this.pollWait = pollWait;
    }

    /** Loads the records and follows their changes, in the background, retrying until the cluster answers. */
    public void start() {
        load();
    }

    /** Whether the records were confirmed current within {@code maxAge}. */
    public boolean current() {
        return loaded && System.nanoTime() - confirmedAt <= maxAge.toNanos();
    }

    public Optional<Role> role(String name) {
        return record(Kind.ROLE, name, Role.class);
    }

    public Optional<TokenRecord> token(String id) {
        return record(Kind.TOKEN, id, TokenRecord.class);
    }

    /**
     * The token {@code id}: from memory, or, when it is not known here (issued through another
     * frontend a moment ago), from the store, linearizably.
     */
    public CompletableFuture<Optional<TokenRecord>> tokenOrFetch(String id) {
        Optional<TokenRecord> known = token(id);
        if (known.isPresent() || records.containsKey(name(Kind.TOKEN, id))) {
            return CompletableFuture.completedFuture(known);
        }
        byte[] key = Kind.TOKEN.key(id);
        return client.get(key, Consistency.LINEARIZABLE).thenApply(kv -> {
            if (kv == null) {
                return Optional.empty();
            }
            remember(Kind.TOKEN, id, kv.value(), kv.modRevision());
            return token(id);
        });
    }

    /** The roles every binding of {@code subject} names. */
    public List<String> rolesOf(String subject) {
        return records.values().stream().map(Entry::record).filter(r -> r instanceof Binding b && b.subject().equals(subject))
                .flatMap(r -> ((Binding) r).roles().stream()).distinct().toList();
    }

    /** A principal with {@code roles}, and the grants of those that exist. */
    public Principal principal(String subject, List<String> roles) {
        List<Permission> permissions = roles.stream().map(this::role).flatMap(Optional::stream)
                .flatMap(r -> r.permissions().stream()).distinct().toList();
        return new Principal(subject, roles, permissions);
    }

    /** Takes a record written (or deleted: {@code value} null) at {@code revision}, unless a later one is known. */
    public void remember(Kind kind, String name, byte[] value, long revision) {
        merge(records, kind, name, value, revision);
    }

    private static void merge(Map<String, Entry> into, Kind kind, String name, byte[] value, long revision) {
        Object record = value == null ? null : switch (kind) {
            case ROLE -> AuthRecords.role(name, value);
            case TOKEN -> AuthRecords.token(name, value);
            case BINDING -> AuthRecords.binding(name, value);
        };
        into.merge(name(kind, name), new Entry(revision, record),
                (old, now) -> now.revision() >= old.revision() ? now : old);
    }

    private <T> Optional<T> record(Kind kind, String name, Class<T> type) {
        Entry e = records.get(name(kind, name));
        return e == null || e.record() == null ? Optional.empty() : Optional.of(type.cast(e.record()));
    }

    private static String name(Kind kind, String name) {
        return kind.name() + "/" + name;
    }

    private void load() {
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        Map<String, Entry> fresh = new ConcurrentHashMap<>();
        client.storeStatus()
                .thenCompose(status -> loadPage(fresh, null).thenApply(v -> status.revision()))
                .whenComplete((revision, error) -> {
                    if (error != null) {
                        LOG.debugf("the access records could not be loaded yet: %s", error.toString());
                        retryLater(this::load);
                        return;
                    }
                    records = fresh;
                    confirmedAt = started;
                    loaded = true;
                    follow(client.watch(AuthRecords.PREFIX, Watcher.Position.at(revision + 1), 1 << 20, pollWait));
                });
    }

    private CompletableFuture<Void> loadPage(Map<String, Entry> into, byte[] after) {
        return client.range(new Query.Range(AuthRecords.PREFIX, after, PAGE, false), Consistency.LINEARIZABLE)
                .thenCompose(page -> {
                    for (KeyValue kv : page.items()) {
                        put(into, kv.key(), kv.value(), kv.modRevision());
                    }
                    return page.more() ? loadPage(into, page.items().get(page.items().size() - 1).key())
                            : CompletableFuture.completedFuture(null);
                });
    }

    private void follow(Watcher watcher) {
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        watcher.next().whenComplete((batch, error) -> {
            if (error != null || batch.compacted()) {
                LOG.warnf("the access records' watch ended (%s); loading them again",
                        error != null ? error.toString() : "history compacted");
                retryLater(this::load);
                return;
            }
            for (Change c : batch.changes()) {
                put(records, c.key(), c.type() == Change.Type.PUT ? c.value() : null, c.modRevision());
            }
            confirmedAt = started;
            follow(watcher);
        });
    }

    private static void put(Map<String, Entry> into, byte[] key, byte[] value, long revision) {
        for (Kind kind : Kind.values()) {
            String name = kind.nameIn(key);
            if (name != null) {
                merge(into, kind, name, value, revision);
                return;
            }
        }
    }

    private void retryLater(Runnable action) {
        CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS).execute(action);
    }

    @Override
    public void close() {
        closed = true;
    }
}
