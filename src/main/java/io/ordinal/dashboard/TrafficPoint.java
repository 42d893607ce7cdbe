package io.ordinal.dashboard;

/**
 * One second (one poll interval) of the API requests this frontend served.
 *
 * @param at              end of the interval, milliseconds since the epoch
 * @param writesPerSecond PUT and DELETE of keys
 * @param readsPerSecond  GET and HEAD of keys and listings
 * @param p99Millis       99th percentile latency of those requests, null when there were none
 * @param watchers        pages watching this frontend's dashboard
 */
public record TrafficPoint(long at, double writesPerSecond, double readsPerSecond, Double p99Millis, int watchers) {
}
