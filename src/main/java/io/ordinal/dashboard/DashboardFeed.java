package io.ordinal.dashboard;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The stream behind the dashboard: one poller shared by every watching page, running only while at
 * least one page watches.
 *
 * <p>The first subscriber starts it; each poll interval it takes a {@link TrafficPoint} and, unless the
 * previous look is still under way, one look at the cluster ({@link ClusterView}), which it compares with
 * the previous one for {@link Event}s. Everything goes to every subscriber as {@link Message}s:
 * {@code hello} first (who serves the page, the drills, and the recent history), then {@code traffic},
 * {@code state} and {@code event}. The last subscriber to leave stops it: nobody watching, the cluster
 * is not polled and requests are not counted.
 */
public class DashboardFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DashboardFeed.class);
    static final int EVENTS_KEPT = 200;
    static final int TRAFFIC_KEPT = 180;
    /** Messages a slow page may fall behind by before its stream is ended (it then reconnects). */
    static final int BUFFERED = 256;

    /** One message of the stream: its SSE event name and its JSON payload. */
    public record Message(String name, Object data) {
    }

    /** The first message: who serves the page, what it may do, and what happened recently. */
    public record Hello(Frontend frontend, List<String> drills, long pauseMillis, long pollMillis, long serverTime,
                        ClusterView state, List<Event> events, List<TrafficPoint> traffic) {
    }

    private final Supplier<CompletableFuture<ClusterView>> poller;
    private final TrafficMeter meter;
    private final Duration interval;
    private final Frontend frontend;
    private final Supplier<List<String>> drills;
    private final long pauseMillis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ordinal-dashboard");
        t.setDaemon(true);
        return t;
    });

    private final Object lock = new Object();
    private final List<MultiEmitter<? super Message>> subscribers = new ArrayList<>();
    private final Deque<Event> events = new ArrayDeque<>();
    private final Deque<TrafficPoint> traffic = new ArrayDeque<>();
    private ScheduledFuture<?> ticking;
    private long generation;
    private boolean looking;
    private EventDetector detector;
    private ClusterView latest;
    private long polls;

    DashboardFeed(Supplier<CompletableFuture<ClusterView>> poller, TrafficMeter meter, Duration interval,
                  Frontend frontend, Supplier<List<String>> drills, Duration pause) {
        this.poller = poller;
        this.meter = meter;
        this.interval = interval;
        this.frontend = frontend;
        this.drills = drills;
        this.pauseMillis = pause.toMillis();
    }

    /** A stream for one page; it starts with {@code hello}. */
    public Multi<Message> subscribe() {
        return Multi.createFrom().<Message>emitter(emitter -> {
            synchronized (lock) {
                if (subscribers.isEmpty() && !events.isEmpty() && events.peekLast().kind().equals("watch")) {
                    events.removeLast(); // nothing happened since the last page left: its first line will do
                }
                emitter.emit(new Message("hello", hello()));
                subscribers.add(emitter);
                if (subscribers.size() == 1) {
                    start();
                }
            }
            emitter.onTermination(() -> unsubscribe(emitter));
        }, BackPressureStrategy.IGNORE).onOverflow().buffer(BUFFERED);
    }

    /** An event that did not come from a look at the cluster (a drill), for the log of every page. */
    public void record(Event event) {
        synchronized (lock) {
            remember(event);
            broadcast(new Message("event", event));
        }
    }

    public int watchers() {
        synchronized (lock) {
            return subscribers.size();
        }
    }

    /** Looks at the cluster taken since this process started (for tests of "no load when unwatched"). */
    long polls() {
        synchronized (lock) {
            return polls;
        }
    }

    boolean polling() {
        synchronized (lock) {
            return ticking != null;
        }
    }

    private Hello hello() {
        return new Hello(frontend, drills.get(), pauseMillis, interval.toMillis(), System.currentTimeMillis(), latest,
                List.copyOf(events), List.copyOf(traffic));
    }

    private void unsubscribe(MultiEmitter<? super Message> emitter) {
        synchronized (lock) {
            if (subscribers.remove(emitter) && subscribers.isEmpty()) {
                stop();
            }
        }
    }

    /** Under the lock: the first page arrived. */
    private void start() {
        generation++;
        detector = new EventDetector();
        latest = null;
        looking = false;
        meter.start();
        ticking = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("dashboard: a page watches; polling the cluster");
    }

    /** Under the lock: the last page left. */
    private void stop() {
        ticking.cancel(false);
        ticking = null;
        meter.stop();
        LOG.debug("dashboard: nobody watches; polling stopped");
    }

    private void tick() {
        long gen;
        synchronized (lock) {
            if (ticking == null) {
                return;
            }
            TrafficPoint point = meter.sample(subscribers.size());
            traffic.addLast(point);
            while (traffic.size() > TRAFFIC_KEPT) {
                traffic.removeFirst();
            }
            broadcast(new Message("traffic", point));
            if (looking) {
                return; // the previous look is still waiting for a silent replica
            }
            looking = true;
            polls++;
            gen = generation;
        }
        CompletableFuture<ClusterView> look;
        try {
            look = poller.get();
        } catch (RuntimeException e) {
            look = CompletableFuture.failedFuture(e);
        }
        look.orTimeout(Math.max(5_000, 3 * interval.toMillis()), TimeUnit.MILLISECONDS)
                .whenComplete((view, error) -> looked(gen, view, error));
    }

    private void looked(long gen, ClusterView view, Throwable error) {
        synchronized (lock) {
            if (gen != generation) {
                return; // a look from an earlier watching period
            }
            looking = false;
            if (ticking == null) {
                return;
            }
            if (error != null) {
                LOG.debugf("dashboard: the look at the cluster failed: %s", error.toString());
                return;
            }
            List<Event> found = detector.observe(view);
            latest = view;
            broadcast(new Message("state", view));
            for (Event e : found) {
                remember(e);
                broadcast(new Message("event", e));
            }
        }
    }

    private void remember(Event e) {
        events.addLast(e);
        while (events.size() > EVENTS_KEPT) {
            events.removeFirst();
        }
    }

    private void broadcast(Message m) {
        for (MultiEmitter<? super Message> s : List.copyOf(subscribers)) {
            s.emit(m);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            for (MultiEmitter<? super Message> s : List.copyOf(subscribers)) {
                s.complete();
            }
            subscribers.clear();
            if (ticking != null) {
                stop();
            }
        }
        scheduler.shutdownNow();
    }
}
