#!/usr/bin/env bash
# Time from killing a follower (SIGKILL) to its being ready again, KILLS times, on a 3-replica
# bin/kv-local cluster of its own with no load; prints each time, the time from the new JVM's start
# (as it reports it in /v1/replica) to ready, and what Quarkus reports as its own start time. JVM options: KV_JAVA_OPTS (kv-local's default otherwise).
#   loadtest/restart-time.sh
#   KILLS=5 KV_CDS=0 loadtest/restart-time.sh     # without kv-local's class-data archive
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${KILLS:-3}
export KV_HTTP_PORT=${KV_HTTP_PORT:-18280} KV_RAFT_BASE_PORT=${KV_RAFT_BASE_PORT:-20070} \
  KV_REPLICA_HTTP_BASE_PORT=${KV_REPLICA_HTTP_BASE_PORT:-20080} KV_LOCAL_HOME=$(pwd)/target/loadtest/restart
URL=http://127.0.0.1:$KV_HTTP_PORT

# shellcheck source=loadtest/replicas.sh
. loadtest/replicas.sh

bin/build-if-missing restart-time
trap 'bin/kv-local down --purge > /dev/null 2>&1 || true' EXIT
bin/kv-local down --purge > /dev/null 2>&1 || true
bin/kv-local up > /dev/null
for i in 0 1 2; do until ready "$i"; do sleep 0.1; done; done
for n in $(seq "$KILLS"); do
  f=$(( ($(leader_ordinal) + 1) % 3 ))
  read -r took from_start <<< "$(kill_and_time_to_ready "$f")"
  quarkus=$(grep -a "started in" "$KV_LOCAL_HOME/logs/kv-store-$f.log" | tail -1 | sed -n 's/.*started in \([0-9.]*s\).*/\1/p')
  echo "kill $n: kv-store-$f ready again $took ms after the kill, $from_start ms after its JVM started (Quarkus: started in $quarkus)"
  # the next kill waits until all three are ready again
  for i in 0 1 2; do until ready "$i"; do sleep 0.1; done; done
done
echo "JVM options: ${KV_JAVA_OPTS:-the kv-local default}"
echo "class-data archive: ${KV_CDS:-1} (KV_CDS)"
