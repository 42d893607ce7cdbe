#!/usr/bin/env bash
# The failover drill: writes and reads run while the leader, a follower and a frontend pod are
# deleted in turn; prints per step how long writes stalled and what clients saw, then checks that no
# acknowledged write was lost.
#
#   loadtest/failover-drill.sh --local                       # against bin/kv-local (starts it if needed)
#   loadtest/failover-drill.sh --kubectl [-n NAMESPACE]      # against a cluster (port-forwards svc/kv)
#
# Any other option goes to the drill itself (loadtest/failover-drill.sh --help). The drill is a
# single-file program over the application's failover driver (io.ordinal.drill), run with the built
# application's classes on its class path.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
APP=target/quarkus-app
if [ ! -f "$APP/quarkus-run.jar" ]; then
  echo "failover-drill: building the application (./mvnw package -DskipTests) ..." >&2
  ./mvnw -B -q package -DskipTests >&2 || { echo "failover-drill: the build failed" >&2; exit 1; }
fi
DRILL=("$JAVA" -cp "$APP/app/*:$APP/lib/main/*" loadtest/FailoverDrill.java)

mode=local
namespace=()
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --local) mode=local; shift ;;
    --kubectl) mode=kubectl; shift ;;
    -n|--namespace) namespace=(-n "$2"); args+=(--namespace "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ "$mode" = local ]; then
  bin/kv-local up
  exec "${DRILL[@]}" --local ${args[@]+"${args[@]}"}
fi

command -v kubectl > /dev/null || { echo "failover-drill: kubectl is needed for --kubectl" >&2; exit 2; }
port=${KV_DRILL_PORT:-18080}
kubectl ${namespace[@]+"${namespace[@]}"} port-forward svc/kv "$port:80" > /dev/null 2>&1 &
forward=$!
trap 'kill $forward 2> /dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break
  sleep 0.2
done
"${DRILL[@]}" --kubectl --endpoint "http://127.0.0.1:$port" ${args[@]+"${args[@]}"}
