/**
 * The failover driver: one small library for every tool that breaks a running cluster and watches it
 * recover — the fault tests ({@code io.ordinal.fault}), the process tests, the dashboard's drills and
 * {@code loadtest/FailoverDrill.java}. It drives {@code bin/kv-local} through its command line (its status
 * read in-process, {@link io.ordinal.local.LocalStatus}) and the cluster through HTTP — HTTPS with the
 * cluster's CA and root token when it is secure ({@link io.ordinal.local.ClusterAccess}) — and depends on
 * nothing in the server: kill, pause or partition a pod
 * ({@link io.ordinal.drill.KvLocalPods}, {@link io.ordinal.drill.Signals}, {@link io.ordinal.drill.Partition}),
 * find the leader ({@link io.ordinal.drill.ClusterProbe}), wait for recovery ({@link io.ordinal.drill.Poll}),
 * and record what clients saw ({@link io.ordinal.drill.CreateOnlyWriters}).
 */
package io.ordinal.drill;
