package io.ordinal.history;

import io.ordinal.history.Request.Create;
import io.ordinal.history.Request.Delete;
import io.ordinal.history.Request.DeleteIfMatch;
import io.ordinal.history.Request.Put;
import io.ordinal.history.Request.PutIfMatch;
import io.ordinal.history.Request.Read;
import io.ordinal.history.Response.Deleted;
import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.NotFound;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Unknown;
import io.ordinal.history.Response.Written;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records a history from a simulated correct store, so every history it makes is linearizable by
 * construction: operations take effect one at a time at increasing instants, each inside its
 * client's interval, against one store-wide revision counter. The intervals around those instants
 * are then jittered, so that clients overlap; some writes' outcomes are lost (UNKNOWN) and take effect
 * at their instant, or much later (after their client gave up and moved on), or never. Each run ends
 * with a read of every key after everything else completed.
 */
final class SimulatedRun {

    /**
     * @param unknownChance the chance that a client loses a write's outcome
     * @param overlap       how far an interval may stretch either side of its operation's instant, in
     *                      steps between instants: about how many operations overlap
     */
    record Settings(int clients, int keys, int operations, double unknownChance, int overlap) {
    }

    private static final long STEP = 100;

    private record Cell(String value, long modRevision) {
    }

    /** An operation whose effect will happen at a later step, after its client gave up. */
    private record Late(int client, String key, long invokedAt, long gaveUpAt, Request request, int dueStep) {
    }

    private final Random random;
    private final Settings settings;
    private final Map<String, Cell> store = new HashMap<>();
    private final List<Operation> recorded = new ArrayList<>();
    private final List<Late> late = new ArrayList<>();
    private final long[] freeAt;
    private final int jitter;
    private long revision;
    private int written;

    private SimulatedRun(long seed, Settings settings) {
        this.random = new Random(seed);
        this.settings = settings;
        this.freeAt = new long[settings.clients()];
        this.jitter = (int) (settings.overlap() * STEP);
    }

    static History record(long seed, Settings settings) {
        return new SimulatedRun(seed, settings).run();
    }

    private History run() {
        for (int step = 1; recorded.size() < settings.operations(); step++) {
            long instant = step * STEP;
            applyLateEffectsDue(step);
            int client = random.nextInt(settings.clients());
            if (freeAt[client] >= instant) {
                continue;
            }
            long invokedAt = Math.max(freeAt[client] + 1, instant - random.nextInt(jitter));
            String key = "key" + random.nextInt(settings.keys());
            Request request = nextRequest(client, key);
            boolean writes = !request.isRead();
            if (writes && random.nextDouble() < settings.unknownChance()) {
                loseOutcome(client, key, invokedAt, request, step, instant);
            } else {
                Response response = apply(key, request);
                long completedAt = instant + random.nextInt(jitter);
                if (!writes && random.nextDouble() < settings.unknownChance() / 2) {
                    response = new Unknown();
                }
                recorded.add(new Operation(client, key, invokedAt, completedAt, request, response));
                freeAt[client] = completedAt;
            }
        }
        long end = STEP * (1 + recorded.stream().mapToLong(Operation::completedAt).max().orElse(0) / STEP);
        applyLateEffectsDue(Integer.MAX_VALUE);
        for (int k = 0; k < settings.keys(); k++) {
            String key = "key" + k;
            long at = end + 10 + k;
            recorded.add(new Operation(settings.clients(), key, at, at + 5, new Read(), apply(key, new Read())));
        }
        Collections.shuffle(recorded, random);
        return History.of(recorded);
    }

    /** The client learns nothing; the write takes effect now, later, or never. */
    private void loseOutcome(int client, String key, long invokedAt, Request request, int step, long instant) {
        long gaveUpAt = invokedAt + random.nextInt(2 * jitter);
        double when = random.nextDouble();
        if (when < 0.4) {
            apply(key, request);
        } else if (when < 0.7) {
            late.add(new Late(client, key, invokedAt, gaveUpAt, request, step + 1 + random.nextInt(30)));
            freeAt[client] = gaveUpAt;
            return;
        }
        recorded.add(new Operation(client, key, invokedAt, gaveUpAt, request, new Unknown()));
        freeAt[client] = gaveUpAt;
    }

    /** Late effects take effect between the previous step's instant and this one's. */
    private void applyLateEffectsDue(int step) {
        for (var it = late.iterator(); it.hasNext(); ) {
            Late op = it.next();
            if (op.dueStep() <= step) {
                apply(op.key(), op.request());
                recorded.add(new Operation(op.client(), op.key(), op.invokedAt(), op.gaveUpAt(), op.request(), new Unknown()));
                it.remove();
            }
        }
    }

    private Request nextRequest(int client, String key) {
        Cell cell = store.get(key);
        double kind = random.nextDouble();
        if (kind < 0.35) {
            return new Read();
        } else if (kind < 0.55) {
            return new Put(nextValue(client));
        } else if (kind < 0.72) {
            return new PutIfMatch(nextValue(client), expectedRevision(cell));
        } else if (kind < 0.82) {
            return new Create(nextValue(client));
        } else if (kind < 0.91) {
            return new Delete();
        } else {
            return new DeleteIfMatch(expectedRevision(cell));
        }
    }

    /** Mostly the current revision, as a client that just read the key would send; sometimes a stale one. */
    private long expectedRevision(Cell cell) {
        if (cell != null && random.nextDouble() < 0.6) {
            return cell.modRevision();
        }
        return 1 + random.nextInt((int) Math.max(1, revision));
    }

    private String nextValue(int client) {
        return "c" + client + "-" + (++written);
    }

    /** The store's sequential behaviour: the specification the checker models, written the plain way. */
    private Response apply(String key, Request request) {
        Cell cell = store.get(key);
        long current = cell == null ? 0 : cell.modRevision();
        if (request instanceof Read) {
            return cell == null ? new NotFound() : new Found(cell.value(), cell.modRevision());
        } else if (request instanceof Put put) {
            return write(key, put.value(), current);
        } else if (request instanceof PutIfMatch cas) {
            return cell != null && current == cas.revision() ? write(key, cas.value(), current) : new PreconditionFailed(current);
        } else if (request instanceof Create create) {
            return cell == null ? write(key, create.value(), 0) : new PreconditionFailed(current);
        } else if (request instanceof Delete) {
            return cell == null ? new NotFound() : delete(key);
        } else {
            return cell != null && current == ((DeleteIfMatch) request).revision() ? delete(key) : new PreconditionFailed(current);
        }
    }

    private Written write(String key, String value, long previousRevision) {
        long revision = nextRevision();
        store.put(key, new Cell(value, revision));
        return new Written(revision, previousRevision);
    }

    private Deleted delete(String key) {
        nextRevision();
        store.remove(key);
        return new Deleted();
    }

    /** Other keys and the failed requests take revisions too, so a key's revisions have gaps. */
    private long nextRevision() {
        revision += random.nextDouble() < 0.3 ? 1 + random.nextInt(3) : 1;
        return revision;
    }
}
