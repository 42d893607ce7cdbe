package io.ordinal.dashboard;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The feed polls the cluster only while somebody watches, with one poller for all of them. */
class DashboardFeedTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private final AtomicInteger looks = new AtomicInteger();
    private final TrafficMeter meter = new TrafficMeter();
    private final DashboardFeed feed = new DashboardFeed(this::look, meter, INTERVAL,
            new Frontend("kv-frontend-0", "frontend", "local", 1, 2), () -> List.of("delete-leader"), Duration.ofSeconds(8));

    private CompletableFuture<ClusterView> look() {
        looks.incrementAndGet();
        return CompletableFuture.completedFuture(new ClusterView(System.currentTimeMillis(), "kv-store-0", 1, List.of(
                new ClusterView.Replica("kv-store-0", "127.0.0.1:9870", "LEADER", 5, 5, 0L, null))));
    }

    @AfterEach
    void close() {
        feed.close();
    }

    @Test
    void nobodyWatchingNothingIsPolledOrCounted() throws InterruptedException {
        Thread.sleep(10 * INTERVAL.toMillis());
        assertThat(looks).hasValue(0);
        assertThat(feed.polling()).isFalse();
    }

    @Test
    void aPageGetsHelloThenStateTrafficAndEvents() {
        AssertSubscriber<DashboardFeed.Message> page = feed.subscribe().subscribe().withSubscriber(AssertSubscriber.create(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> names(page).containsAll(List.of("hello", "traffic", "state", "event")));
        assertThat(names(page).get(0)).isEqualTo("hello");
        DashboardFeed.Hello hello = (DashboardFeed.Hello) page.getItems().get(0).data();
        assertThat(hello.frontend().name()).isEqualTo("kv-frontend-0");
        assertThat(hello.drills()).containsExactly("delete-leader");
        Event first = page.getItems().stream().filter(m -> m.name().equals("event")).map(m -> (Event) m.data())
                .findFirst().orElseThrow();
        assertThat(first.kind()).isEqualTo("watch");
        page.cancel();
    }

    @Test
    void twoPagesShareOnePollerAndTheLastToLeaveStopsIt() throws InterruptedException {
        AssertSubscriber<DashboardFeed.Message> a = feed.subscribe().subscribe().withSubscriber(AssertSubscriber.create(10_000));
        AssertSubscriber<DashboardFeed.Message> b = feed.subscribe().subscribe().withSubscriber(AssertSubscriber.create(10_000));
        assertThat(feed.watchers()).isEqualTo(2);
        assertThat(feed.polling()).isTrue();

        long start = System.nanoTime();
        Thread.sleep(20 * INTERVAL.toMillis());
        long intervals = (System.nanoTime() - start) / INTERVAL.toNanos();
        // One look per interval for both pages (a poller each would make twice as many).
        assertThat(looks.get()).isBetween(1, (int) intervals + 2);
        await().until(() -> count(a, "state") >= 3 && count(b, "state") >= 3);

        a.cancel();
        assertThat(feed.watchers()).isEqualTo(1);
        assertThat(feed.polling()).isTrue();
        b.cancel();
        assertThat(feed.watchers()).isZero();
        assertThat(feed.polling()).isFalse();

        Thread.sleep(3 * INTERVAL.toMillis()); // a look already under way may finish
        int after = looks.get();
        Thread.sleep(10 * INTERVAL.toMillis());
        assertThat(looks.get()).isEqualTo(after);
    }

    @Test
    void aPageThatComesBackLaterStartsTheWatchAfresh() {
        AssertSubscriber<DashboardFeed.Message> first = feed.subscribe().subscribe().withSubscriber(AssertSubscriber.create(1000));
        await().until(() -> count(first, "event") >= 1);
        first.cancel();

        AssertSubscriber<DashboardFeed.Message> again = feed.subscribe().subscribe().withSubscriber(AssertSubscriber.create(1000));
        await().until(() -> count(again, "event") >= 1);
        DashboardFeed.Hello hello = (DashboardFeed.Hello) again.getItems().get(0).data();
        // Nothing happened in between, so the earlier "watching" line is not repeated.
        assertThat(hello.events()).isEmpty();
        again.cancel();
    }

    @Test
    void aDrillIsRecordedForEveryPage() {
        AssertSubscriber<DashboardFeed.Message> page = feed.subscribe().subscribe().withSubscriber(AssertSubscriber.create(1000));
        feed.record(new Event(1, "drill", "kv-store-0", "Drill: deleted the leader kv-store-0 (SIGKILL)"));
        await().until(() -> page.getItems().stream().anyMatch(m -> m.data() instanceof Event e && e.kind().equals("drill")));
        page.cancel();
    }

    private static List<String> names(AssertSubscriber<DashboardFeed.Message> s) {
        return s.getItems().stream().map(DashboardFeed.Message::name).toList();
    }

    private static long count(AssertSubscriber<DashboardFeed.Message> s, String name) {
        return s.getItems().stream().filter(m -> m.name().equals(name)).count();
    }
}
