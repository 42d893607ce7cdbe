# Shared by footprint.sh and restart-time.sh (sourced, not run): a bin/kv-local cluster's replicas,
# addressed by ordinal, with KV_REPLICA_HTTP_BASE_PORT and URL (the frontend) set by the caller.

now_ms() { date +%s%3N; }
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$((KV_REPLICA_HTTP_BASE_PORT + $1))/q/health/ready")" = 200 ]; }
pid_of() { pgrep -f "kv.local.pod=kv-store-$1 " | head -1; }
leader_ordinal() { curl -s "$URL/v1/cluster" | sed -n 's/.*"leader":"kv-store-\([0-9]*\)".*/\1/p'; }

# The JVM start time of replica $1 (epoch milliseconds), as it reports it in GET /v1/replica.
started_at() { curl -s "http://127.0.0.1:$((KV_REPLICA_HTTP_BASE_PORT + $1))/v1/replica" | sed -n 's/.*"startedAt":\([0-9]*\).*/\1/p'; }

# Kills replica $1 with SIGKILL, waits until kv-local has started it again and it is ready; prints the
# milliseconds from the kill to ready, and from the new JVM's start to ready.
kill_and_time_to_ready() {
  local old killed ready_at
  old=$(pid_of "$1")
  killed=$(now_ms)
  kill -9 "$old"
  while ready "$1" || [ "$(pid_of "$1")" = "$old" ]; do sleep 0.02; done
  until ready "$1"; do sleep 0.02; done
  ready_at=$(now_ms)
  echo "$(( ready_at - killed )) $(( ready_at - $(started_at "$1") ))"
}
