#!/usr/bin/env bash
# A replica's footprint: time from process start to ready, and resident memory at rest and with
# KEYS keys of 256 bytes (default 1,000,000), on a 3-replica bin/kv-local cluster of its own.
#
#   loadtest/footprint.sh                # prints a table; also target/loadtest/footprint-<time>.md
#   KEYS=200000 loadtest/footprint.sh
#
# Start to ready is measured twice: the cluster's first start (every JVM from its launch until its
# /q/health/ready answers 200), and a follower killed with SIGKILL and started again by kv-local on
# its volume with every key in it (from the kill until it is ready again). RSS is the kernel's VmRSS
# of each replica process; the JVMs run with kv-local's options (replicas -Xmx192m, serial GC, MALLOC_ARENA_MAX=2,
# its class-data archive).
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
export KEYS # wrk's fill scenario reads it
OUT=$(pwd)/target/loadtest
mkdir -p "$OUT"
export KV_HTTP_PORT=${KV_HTTP_PORT:-18180} KV_RAFT_BASE_PORT=${KV_RAFT_BASE_PORT:-19970} \
  KV_REPLICA_HTTP_BASE_PORT=${KV_REPLICA_HTTP_BASE_PORT:-19980} KV_LOCAL_HOME=$OUT/footprint
URL=http://127.0.0.1:$KV_HTTP_PORT
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
MD=$OUT/footprint-$(date +%Y%m%d-%H%M%S).md

log() { echo "footprint: $*" >&2; }
# shellcheck source=loadtest/replicas.sh
. loadtest/replicas.sh
rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
db_mib() { du -sm "$KV_LOCAL_HOME/kv-store-$1" | cut -f1; }

bin/build-if-missing footprint
trap 'bin/kv-local down --purge > /dev/null 2>&1 || true' EXIT
bin/kv-local down --purge > /dev/null 2>&1 || true
if [ "${KV_CDS:-1}" = 1 ] && [ ! -f target/quarkus-app/kv-local-cds.jsa ]; then
  log "making kv-local's class-data archive first (its training run is not part of a start)"
  bin/kv-local up > /dev/null && bin/kv-local down --purge > /dev/null
fi

start=$(now_ms)
bin/kv-local up > /dev/null &
up=$!
declare -A first_ready=()
while [ ${#first_ready[@]} -lt 3 ]; do
  for i in 0 1 2; do
    if [ -z "${first_ready[$i]:-}" ] && ready "$i"; then first_ready[$i]=$(( $(now_ms) - start )); fi
  done
  sleep 0.05
done
wait "$up"
log "started; ready after ${first_ready[0]} / ${first_ready[1]} / ${first_ready[2]} ms"
sleep 5 # let the JVMs settle after start (compilation, first GC) before reading RSS at rest
rest=(); for i in 0 1 2; do rest+=("$(rss_mib "$(pid_of "$i")")"); done

log "loading $KEYS keys of 256 bytes"
if ! command -v wrk > /dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk > /dev/null
  else log "wrk is missing: sudo apt-get install -y wrk"; exit 1; fi
fi
loading=$(now_ms)
# wrk's fill scenario writes bench/1..KEYS once each (64 connections; batched by the frontend)
# (a thread stops once its writes are answered; wrk's own clock would wait for -d, so it is interrupted)
SCENARIO=fill THREADS=2 wrk -t2 -c64 -d1h -s loadtest/wrk/ordinal.lua "$URL" > "$OUT/fill.out" &
filler=$!
sleep 1
while [ "$(ls "/proc/$filler/task" 2> /dev/null | wc -l)" -gt 1 ]; do sleep 0.5; done
kill -INT "$filler" 2> /dev/null || true
wait "$filler" || true
grep '^RESULT' "$OUT/fill.out" >&2
log "loaded in $(( ($(now_ms) - loading) / 1000 )) s"
# count what is there, 1,000 keys a page
stored=0; after=""
while :; do
  page=$(curl -s "$URL/v1/kv?prefix=bench/&keysOnly=true&limit=1000$after")
  n=$(grep -o '"key":' <<< "$page" | wc -l)
  stored=$((stored + n))
  next=$(sed -n 's/.*"next":"\([^"]*\)".*/\1/p' <<< "$page")
  [ -n "$next" ] && [ "$n" -gt 0 ] || break
  after="&after=$next"
done
log "$stored keys stored"
KEYS=$stored
loaded=(); disk=(); for i in 0 1 2; do loaded+=("$(rss_mib "$(pid_of "$i")")"); disk+=("$(db_mib "$i")"); done

follower=$(( ($(leader_ordinal) + 1) % 3 ))
log "killing follower kv-store-$follower (SIGKILL); kv-local starts it again on its volume"
read -r restart restart_from_start <<< "$(kill_and_time_to_ready "$follower")"
after=$(rss_mib "$(pid_of "$follower")")

{
  echo "| measure | kv-store-0 | kv-store-1 | kv-store-2 |"
  echo "|---|---:|---:|---:|"
  echo "| first start: launch to ready (ms) | ${first_ready[0]} | ${first_ready[1]} | ${first_ready[2]} |"
  echo "| RSS at rest (MiB) | ${rest[0]} | ${rest[1]} | ${rest[2]} |"
  echo "| RSS with $KEYS keys (MiB) | ${loaded[0]} | ${loaded[1]} | ${loaded[2]} |"
  echo "| data directory with $KEYS keys (MiB) | ${disk[0]} | ${disk[1]} | ${disk[2]} |"
  echo
  echo "kv-store-$follower killed with SIGKILL holding $KEYS keys: ready again ${restart} ms after the kill, ${restart_from_start} ms after its JVM started" \
    "(kv-local restarts it at once; RSS then ${after} MiB)."
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr);" \
    "Ordinal $(git rev-parse --short HEAD 2> /dev/null || echo '?'), $("$JAVA" -version 2>&1 | head -1); JVM options: ${KV_JAVA_OPTS:-the kv-local default (replicas -Xmx192m -XX:+UseSerialGC)}, class-data archive ${KV_CDS:-1}, MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}."
} | tee "$MD"
log "table: $MD"
