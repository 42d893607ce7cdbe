#!/usr/bin/env bash
# Ordinal and a 3-member etcd, side by side on this machine, in one run, as ratios.
#
#   loadtest/compare-etcd.sh                       # every scenario at 1, 16, 64 and 256 connections
#   SCENARIOS="put read95" CONNECTIONS="64" DURATION=10 loadtest/compare-etcd.sh
#   (also ROUNDS=2, KEYS=100000, WARMUP=80 seconds per system before anything is measured, and
#   ORDINAL_REPLICAS=1 to measure what replication costs: etcd keeps its three members)
#   SECURE=1 loadtest/compare-etcd.sh              # both with TLS and per-request authorization
#
# Installs etcd-server and wrk from Debian if they are missing (needs root), builds Ordinal if needed,
# starts a 3-member etcd on loopback and a 3-replica Ordinal with bin/kv-local (its own home and
# ports, so it never meets your cluster), preloads KEYS keys into both, then runs each scenario with
# wrk against both, alternating A B A B so that drift of the machine cancels out, and prints a table
# of throughput, p50 and p99 for both and the ratio Ordinal/etcd. Both fsync every acknowledged write
# (etcd always does; Ratis forces its log before a write commits). Then it stops both.
# Results: target/loadtest/compare-<time>.{csv,md}; wrk's own output in target/loadtest/runs/.
#
# SECURE=1: Ordinal with `bin/kv-local up --secure` (HTTPS only, Raft in mutual TLS, every request
# authorized), driven with a token of a role `bench` (readwrite on bench/), not the root token; etcd
# with client TLS and peer mutual TLS (certificates made here with openssl, EC P-256 as Ordinal's)
# and its own authorization on (a user `bench`, readwrite on bench/, a simple token from
# /v3/auth/authenticate sent with every request). wrk presents no client certificate, so etcd's
# --client-cert-auth is not measured; docs/performance.md says why. Results: compare-secure-<time>.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$(pwd)

SCENARIOS=${SCENARIOS:-"put read95 mixed50 cas"}
CONNECTIONS=${CONNECTIONS:-"1 16 64 256"}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
KEYS=${KEYS:-100000}
WARMUP=${WARMUP:-80}
ORDINAL_REPLICAS=${ORDINAL_REPLICAS:-3}
SECURE=${SECURE:-0}
export KEYS
OUT=$CHECKOUT/target/loadtest
RUNS=$OUT/runs
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUNS"

ETCD_PORTS=(23791 23792 23793)
ETCD_PEERS=(23801 23802 23803)
ETCD_URL=http://127.0.0.1:${ETCD_PORTS[0]}
export KV_HTTP_PORT=${KV_HTTP_PORT:-18080}
export KV_RAFT_BASE_PORT=${KV_RAFT_BASE_PORT:-19870}
export KV_REPLICA_HTTP_BASE_PORT=${KV_REPLICA_HTTP_BASE_PORT:-19880}
export KV_LOCAL_HOME=$OUT/kv-local
ORDINAL_URL=http://127.0.0.1:$KV_HTTP_PORT
# SECURE=1: the CA each client trusts and the token each is driven with (empty: plain, no header)
ETCD_TLS=$OUT/etcd/tls
ORDINAL_CACERT="" ETCD_CACERT="" ORDINAL_TOKEN="" ETCD_TOKEN="" MODE=plain
if [ "$SECURE" = 1 ]; then
  MODE=secure
  STAMP=secure-$STAMP
  ETCD_URL=https://127.0.0.1:${ETCD_PORTS[0]}
  export KV_HTTPS_PORT=${KV_HTTPS_PORT:-18443}
  ORDINAL_URL=https://127.0.0.1:$KV_HTTPS_PORT
  ORDINAL_CACERT=$KV_LOCAL_HOME/tls/ca.crt
  ETCD_CACERT=$ETCD_TLS/ca.crt
fi
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

log() { echo "compare: $*" >&2; }

install_tools() {
  local missing=()
  command -v etcd > /dev/null || missing+=(etcd-server)
  command -v wrk > /dev/null || missing+=(wrk)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian packages)"
    if [ "$(id -u)" != 0 ]; then
      log "not root: install them yourself: sudo apt-get install -y ${missing[*]}"
      exit 2
    fi
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" > /dev/null
  fi
}

# The etcd members' certificate (one for all three: they share 127.0.0.1), signed by a CA of their
# own, for serving and as a client of each other; EC P-256 and SHA-256, as Ordinal's CertificateAuthority.
make_etcd_certificates() {
  mkdir -p "$ETCD_TLS"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 -subj /CN=compare-etcd-ca \
    -keyout "$ETCD_TLS/ca.key" -out "$ETCD_TLS/ca.crt" 2> /dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=etcd \
    -keyout "$ETCD_TLS/tls.key" -out "$ETCD_TLS/tls.csr" 2> /dev/null
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth,clientAuth" \
    "keyUsage=critical,digitalSignature,keyEncipherment" > "$ETCD_TLS/ext.cnf"
  openssl x509 -req -in "$ETCD_TLS/tls.csr" -CA "$ETCD_TLS/ca.crt" -CAkey "$ETCD_TLS/ca.key" -CAcreateserial \
    -days 7 -sha256 -extfile "$ETCD_TLS/ext.cnf" -out "$ETCD_TLS/tls.crt" 2> /dev/null
}

start_etcd() {
  local cluster="" i scheme=http tls=()
  if [ "$SECURE" = 1 ]; then
    scheme=https
    # (no --trusted-ca-file for clients: etcd 3.4 then asks every client for a certificate, which wrk
    # cannot present)
    tls=(--cert-file "$ETCD_TLS/tls.crt" --key-file "$ETCD_TLS/tls.key"
      --peer-cert-file "$ETCD_TLS/tls.crt" --peer-key-file "$ETCD_TLS/tls.key" --peer-trusted-ca-file "$ETCD_TLS/ca.crt"
      --peer-client-cert-auth --auth-token simple --auth-token-ttl 86400)
  fi
  for i in 0 1 2; do cluster+="${cluster:+,}e$i=$scheme://127.0.0.1:${ETCD_PEERS[$i]}"; done
  rm -rf "$OUT/etcd"
  if [ "$SECURE" = 1 ]; then make_etcd_certificates; fi
  for i in 0 1 2; do
    mkdir -p "$OUT/etcd/e$i"
    etcd --name "e$i" --data-dir "$OUT/etcd/e$i" \
      --listen-client-urls "$scheme://127.0.0.1:${ETCD_PORTS[$i]}" --advertise-client-urls "$scheme://127.0.0.1:${ETCD_PORTS[$i]}" \
      --listen-peer-urls "$scheme://127.0.0.1:${ETCD_PEERS[$i]}" --initial-advertise-peer-urls "$scheme://127.0.0.1:${ETCD_PEERS[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token compare \
      "${tls[@]}" --log-level error > "$OUT/etcd/e$i.log" 2>&1 &
    echo $! > "$OUT/etcd/e$i.pid"
  done
  for _ in $(seq 1 100); do
    curl -s ${ETCD_CACERT:+--cacert "$ETCD_CACERT"} -X POST -d '{"key":"cHJvYmU="}' "$ETCD_URL/v3/kv/range" | grep -q '"header"' && return 0
    sleep 0.2
  done
  log "etcd did not start; see $OUT/etcd/*.log"
  exit 1
}

# etcd's authorization, set up as etcdctl would, through the same JSON gateway: a root user (required
# before auth can be enabled), a user bench whose role may read and write the range [bench/, bench0)
# (etcdctl's --prefix), auth on, and bench's simple token. Prints the token.
etcd_call() { curl -sf --cacert "$ETCD_CACERT" -X POST -d "$2" "$ETCD_URL/v3/auth/$1" || { log "etcd: $1 failed"; exit 1; }; }
etcd_auth() {
  local password=compare-$RANDOM$RANDOM
  etcd_call user/add '{"name":"root","password":"'"$password"'"}' > /dev/null
  etcd_call role/add '{"name":"root"}' > /dev/null
  etcd_call user/grant '{"user":"root","role":"root"}' > /dev/null
  etcd_call user/add '{"name":"bench","password":"'"$password"'"}' > /dev/null
  etcd_call role/add '{"name":"bench"}' > /dev/null
  etcd_call role/grant '{"name":"bench","perm":{"permType":"READWRITE","key":"'"$(printf bench/ | base64)"'","range_end":"'"$(printf bench0 | base64)"'"}}' > /dev/null
  etcd_call user/grant '{"user":"bench","role":"bench"}' > /dev/null
  etcd_call enable '{}' > /dev/null
  etcd_call authenticate '{"name":"bench","password":"'"$password"'"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# Ordinal's authorization: with the root token, a role bench that may read and write bench/ and a
# token of that role alone. Prints the token.
ordinal_auth() {
  local root
  root=$(cat "$KV_LOCAL_HOME/root-token")
  curl -sf --cacert "$ORDINAL_CACERT" -H "Authorization: Bearer $root" -H 'Content-Type: application/json' -X PUT \
    -d '{"permissions":[{"prefix":"bench/","access":"readwrite"}]}' "$ORDINAL_URL/v1/auth/roles/bench" > /dev/null \
    || { log "Ordinal: PUT /v1/auth/roles/bench failed"; exit 1; }
  curl -sf --cacert "$ORDINAL_CACERT" -H "Authorization: Bearer $root" -H 'Content-Type: application/json' -X POST \
    -d '{"roles":["bench"],"description":"compare-etcd"}' "$ORDINAL_URL/v1/auth/tokens" \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

stop_all() {
  local f
  for f in "$OUT"/etcd/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2> /dev/null || true; done
  # etcd takes seconds to stop: a member of the next run started before then finds its ports taken
  # and the cluster runs on two members (seen back to back, plain then SECURE=1). (A zombie has stopped.)
  for f in "$OUT"/etcd/*.pid; do
    for _ in $(seq 1 150); do
      [ -f "$f" ] && [[ "$(ps -o stat= -p "$(cat "$f")" 2> /dev/null)" =~ ^[^Z] ]] || break
      sleep 0.2
    done
  done
  bin/kv-local down --purge > /dev/null 2>&1 || true
}

# run SYSTEM SCENARIO CONNECTIONS ROUND -> the RESULT line of wrk's summary
run() {
  local system=$1 scenario=$2 conns=$3 round=$4 threads=2 url script
  [ "$conns" -lt 2 ] && threads=1
  local token=$ETCD_TOKEN
  if [ "$system" = ordinal ]; then url=$ORDINAL_URL; script=loadtest/wrk/ordinal.lua; token=$ORDINAL_TOKEN; else url=$ETCD_URL; script=loadtest/wrk/etcd.lua; fi
  local file="$RUNS/$STAMP-$system-$scenario-c$conns-r$round.txt"
  TOKEN=$token SCENARIO=$scenario wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s --latency -s "$script" "$url" > "$file" 2>&1
  grep '^RESULT' "$file" || { log "wrk failed: see $file"; echo "RESULT scenario=$scenario requests=0 ok=0 cas_lost=0 errors=0 socket_errors=0 seconds=0 rps=0 p50_ms=0 p99_ms=0 statuses="; }
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

install_tools
trap stop_all EXIT
log "starting a 3-member etcd ($(etcd --version | head -1)) and a ${ORDINAL_REPLICAS}-replica Ordinal ($MODE)"
stop_all
start_etcd
bin/kv-local down --purge > /dev/null 2>&1 || true
if [ "$SECURE" = 1 ]; then
  bin/kv-local up --secure --replicas "$ORDINAL_REPLICAS" > /dev/null
  ORDINAL_TOKEN=$(ordinal_auth)
  ETCD_TOKEN=$(etcd_auth)
  [ -n "$ORDINAL_TOKEN" ] && [ -n "$ETCD_TOKEN" ] || { log "no token (Ordinal: ${#ORDINAL_TOKEN} chars, etcd: ${#ETCD_TOKEN})"; exit 1; }
else
  bin/kv-local up --replicas "$ORDINAL_REPLICAS" > /dev/null
fi
log "preloading $KEYS keys into each"
CACERT=$ORDINAL_CACERT TOKEN=$ORDINAL_TOKEN "$JAVA" loadtest/Preload.java ordinal "$ORDINAL_URL" "$KEYS" >&2
CACERT=$ETCD_CACERT TOKEN=$ETCD_TOKEN "$JAVA" loadtest/Preload.java etcd "$ETCD_URL" "$KEYS" >&2
# A JVM compiles its hot paths while it runs: until then its compiler threads take a core of their own
# (measured: throughput still climbing after a minute). Every scenario runs for a while against both
# before anything is measured; etcd, compiled ahead of time, gets the same load.
log "warming up both (JIT, caches): ${WARMUP}s each"
for s in ordinal etcd; do
  for w in put read95 mixed50 cas; do DURATION=$((WARMUP / 4)) run "$s" "$w" 64 0 > /dev/null; done
done

CSV=$OUT/compare-$STAMP.csv
MD=$OUT/compare-$STAMP.md
echo "scenario,connections,system,round,rps,p50_ms,p99_ms,ok,cas_lost,errors" > "$CSV"
{
  echo "| scenario | connections | Ordinal req/s | etcd req/s | ratio | Ordinal p50 / p99 ms | etcd p50 / p99 ms | non-2xx (O / e) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} | tee "$MD"

for scenario in $SCENARIOS; do
  for conns in $CONNECTIONS; do
    declare -A rps=() p50=() p99=() err=()
    for round in $(seq 1 "$ROUNDS"); do
      for system in ordinal etcd; do
        line=$(run "$system" "$scenario" "$conns" "$round")
        echo "$scenario,$conns,$system,$round,$(field rps "$line"),$(field p50_ms "$line"),$(field p99_ms "$line"),$(field ok "$line"),$(field cas_lost "$line"),$(field errors "$line")" >> "$CSV"
        rps[$system]="${rps[$system]:-} $(field rps "$line")"
        p50[$system]="${p50[$system]:-} $(field p50_ms "$line")"
        p99[$system]="${p99[$system]:-} $(field p99_ms "$line")"
        err[$system]=$(( ${err[$system]:-0} + $(field errors "$line") ))
      done
    done
    mean() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.1f", s / NF }' <<< "$1"; }
    o=$(mean "${rps[ordinal]}"); e=$(mean "${rps[etcd]}")
    ratio=$(awk -v o="$o" -v e="$e" 'BEGIN { if (e > 0) printf "%.2f", o / e; else print "-" }')
    printf '| %s | %s | %s | %s | **%s×** | %s / %s | %s / %s | %s / %s |\n' "$scenario" "$conns" "$o" "$e" "$ratio" \
      "$(mean "${p50[ordinal]}")" "$(mean "${p99[ordinal]}")" "$(mean "${p50[etcd]}")" "$(mean "${p99[etcd]}")" \
      "${err[ordinal]}" "${err[etcd]}" | tee -a "$MD"
    unset rps p50 p99 err
  done
done

{
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr);" \
    "etcd $(etcd --version | sed -n 's/etcd Version: //p'), Ordinal $(git rev-parse --short HEAD 2> /dev/null || echo '?'), $(java -version 2>&1 | head -1)."
  echo "Ordinal: $ORDINAL_REPLICAS replica(s) and one frontend (bin/kv-local); etcd: 3 members."
  if [ "$SECURE" = 1 ]; then
    echo "Mode: secure. Ordinal: bin/kv-local up --secure (HTTPS, Raft in mutual TLS), wrk with a token of role bench (readwrite on bench/);" \
      "etcd: client TLS, peer mutual TLS, auth enabled, wrk with user bench's simple token (readwrite on bench/)."
  else
    echo "Mode: plain (no TLS, no authentication on either)."
  fi
  echo "Each cell: the mean of $ROUNDS runs of ${DURATION} s per system, alternating Ordinal and etcd; $KEYS keys, 256-byte values; wrk on the same machine."
} >> "$MD"
log "table: $MD; every run: $CSV"
