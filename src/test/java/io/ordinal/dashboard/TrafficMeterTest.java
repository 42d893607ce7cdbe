package io.ordinal.dashboard;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrafficMeterTest {

    @Test
    void keyRequestsAreReadsOrWritesAndNothingElseCounts() {
        assertThat(TrafficMeter.kind(HttpMethod.PUT, "/v1/kv/users/1")).isEqualTo(TrafficMeter.Kind.WRITE);
        assertThat(TrafficMeter.kind(HttpMethod.DELETE, "/v1/kv/a")).isEqualTo(TrafficMeter.Kind.WRITE);
        assertThat(TrafficMeter.kind(HttpMethod.GET, "/v1/kv/a")).isEqualTo(TrafficMeter.Kind.READ);
        assertThat(TrafficMeter.kind(HttpMethod.HEAD, "/v1/kv/a")).isEqualTo(TrafficMeter.Kind.READ);
        assertThat(TrafficMeter.kind(HttpMethod.GET, "/v1/kv")).isEqualTo(TrafficMeter.Kind.READ);
        assertThat(TrafficMeter.kind(HttpMethod.PUT, "/v1/kv")).isNull();
        assertThat(TrafficMeter.kind(HttpMethod.POST, "/v1/kv/a")).isNull();
        assertThat(TrafficMeter.kind(HttpMethod.GET, "/v1/kvx")).isNull();
        assertThat(TrafficMeter.kind(HttpMethod.GET, "/v1/cluster")).isNull();
        assertThat(TrafficMeter.kind(HttpMethod.GET, "/v1/dashboard/events")).isNull();
    }

    @Test
    void aSampleHasTheRatesAndTheNinetyNinthPercentileOfItsInterval() {
        TrafficMeter meter = new TrafficMeter();
        meter.start();
        for (int i = 0; i < 99; i++) {
            meter.record(TrafficMeter.Kind.READ, 2_000_000); // 2 ms
        }
        meter.record(TrafficMeter.Kind.WRITE, 900_000_000); // 900 ms
        meter.record(TrafficMeter.Kind.WRITE, 900_000_000);
        TrafficPoint p = meter.sample(3);
        assertThat(p.readsPerSecond()).isPositive();
        assertThat(p.writesPerSecond() / p.readsPerSecond()).isCloseTo(2.0 / 99, within(1e-9));
        // 101 requests: the 99th percentile is the 100th, one of the slow writes; within a bucket's width.
        assertThat(p.p99Millis()).isCloseTo(900, within(900 * 0.1));
        assertThat(p.watchers()).isEqualTo(3);

        TrafficPoint empty = meter.sample(3);
        assertThat(empty.writesPerSecond()).isZero();
        assertThat(empty.p99Millis()).isNull();
    }

    @Test
    void percentilesAreWithinABucketOfTheTruth() {
        for (long nanos : new long[] {50_000, 1_000_000, 7_500_000, 120_000_000, 4_000_000_000L}) {
            long[] counts = new long[TrafficMeter.BUCKETS];
            counts[TrafficMeter.bucket(nanos)] = 1;
            assertThat(TrafficMeter.percentile(counts, 1, 0.99)).isCloseTo(nanos / 1e6, within(nanos / 1e6 * 0.1));
        }
    }
}
