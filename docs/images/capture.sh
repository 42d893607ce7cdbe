#!/usr/bin/env bash
# Remakes the dashboard screenshots that README.md and docs/ show:
#   dashboard-leader-killed.png    seconds after the leader pod was deleted: it is unreachable, another leads
#   dashboard-leader-rejoined.png  the deleted leader back as itself, a follower, caught up
#
# It starts a cluster of its own with bin/kv-local (on ports and a data directory of its own, so a
# cluster of yours on 8080 is left alone), makes kv-store-1 the leader so that the pictures name the
# same pod each time (which of the others is elected after it varies), puts a light load on it (a loop
# of curl writes and one of reads, several a second each), opens the dashboard in headless Chromium
# and keeps it open, runs the page's delete-leader drill, and takes each picture once the page shows
# what the picture is for. Chromium is driven through chromedriver's WebDriver HTTP API with curl,
# as DashboardIT drives it with Selenium: a plain `chromium --screenshot --timeout=...` shoots at a
# fixed time after a start that takes one to six seconds on two busy cores, too loose for a pod that
# is back within seconds. It stops the cluster, the load and the browser, and removes the data,
# whether it succeeds or not.
#
# Needs what bin/kv-local needs, curl, jq, and Chromium with its driver
# (Debian: apt-get install -y chromium chromium-driver jq).
#   docs/images/capture.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

export KV_HTTP_PORT=${KV_HTTP_PORT:-18680}
export KV_RAFT_BASE_PORT=${KV_RAFT_BASE_PORT:-18670}
export KV_REPLICA_HTTP_BASE_PORT=${KV_REPLICA_HTTP_BASE_PORT:-18690}
export KV_LOCAL_HOME=${KV_LOCAL_HOME:-$PWD/target/dashboard-capture}
url=http://127.0.0.1:$KV_HTTP_PORT
out=docs/images
driver_port=${KV_CAPTURE_DRIVER_PORT:-18699}
driver=http://127.0.0.1:$driver_port
for tool in chromium chromedriver jq curl; do
  command -v "$tool" >/dev/null || { echo "capture.sh: $tool not found (apt-get install -y chromium chromium-driver jq curl)" >&2; exit 1; }
done

background=()
session=
profile=$(mktemp -d)
cleanup() {
  [[ -z $session ]] || curl -s -X DELETE "$driver/session/$session" >/dev/null || true
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$profile"
  bin/kv-local down --purge >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Waits up to $1 seconds for the command after it to succeed.
await() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || { echo "capture.sh: timed out waiting for: $*" >&2; return 1; }
    sleep 0.5
  done
}

# WebDriver: METHOD PATH [JSON BODY], the answer's value.
webdriver() {
  curl -sf -X "$1" "$driver$2" -H 'Content-Type: application/json' ${3:+-d "$3"} | jq -c .value
}
# The value of a JavaScript expression on the page, as JSON.
page() { webdriver POST "/session/$session/execute/sync" "$(jq -nc --arg js "return $1" '{script: $js, args: []}')"; }
role_shown() { page "document.querySelector('[data-testid=replica-card][data-pod=\"$1\"]')?.dataset.role ?? null"; }
leader_shown() { page "document.querySelector('[data-testid=leader]')?.textContent ?? null"; }
events_shown() { page "document.querySelectorAll('[data-testid=event][data-kind=$1]').length"; }
shoot() {
  webdriver GET "/session/$session/screenshot" | jq -r . | base64 -d > "$out/$1"
  echo "wrote $out/$1"
}

# What /v1/cluster says: whether $1 leads, whether $1 is a follower within 50 entries of the leader's commit index.
leads() { curl -sf "$url/v1/cluster" | jq -e --arg id "$1" '.leader == $id' >/dev/null; }
caught_up() {
  curl -sf "$url/v1/cluster" | jq -e --arg id "$1" '(.members[] | select(.role == "LEADER") | .commitIndex) as $commit
    | .members[] | select(.id == $id and .role == "FOLLOWER") | .appliedIndex >= $commit - 50' >/dev/null
}
shown_leading() { [[ $(leader_shown) == "\"$1\"" ]]; }
killed_shown() {
  [[ $(role_shown kv-store-1) == '"UNREACHABLE"' && $(leader_shown) =~ ^\"kv-store-[02]\"$ ]]
}
rejoined_shown() {
  [[ $(role_shown kv-store-1) == '"FOLLOWER"' && $(events_shown rejoined) -ge 1 ]] && caught_up kv-store-1
}

bin/kv-local down --purge >/dev/null 2>&1 || true
bin/kv-local up
curl -sf "$url/v1/cluster/leader" -d '{"target":"kv-store-1"}' >/dev/null
await 30 leads kv-store-1

chromedriver --port="$driver_port" >/dev/null 2>&1 &
background+=($!)
await 10 curl -sf "$driver/status" -o /dev/null
session=$(jq -nc --arg binary "$(command -v chromium)" --arg profile "--user-data-dir=$profile" '{capabilities: {alwaysMatch: {
    browserName: "chrome",
    "goog:chromeOptions": {binary: $binary, args: ["--headless=new", "--no-sandbox", "--disable-gpu",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1400,900", $profile]}}}}' |
  curl -sf -X POST "$driver/session" -H 'Content-Type: application/json' -d @- | jq -r .value.sessionId)
# The pictures are of a 1400×900 viewport, whatever room the headless window's frame takes.
webdriver POST "/session/$session/goog/cdp/execute" '{"cmd": "Emulation.setDeviceMetricsOverride",
  "params": {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": false}}' >/dev/null
# The page stays open from here on: the dashboard polls the cluster and counts traffic only while a
# page watches, and the chart and the events are what this page has seen.
webdriver POST "/session/$session/url" "{\"url\": \"$url/\"}" >/dev/null
await 30 shown_leading kv-store-1

load() {  # $1: PUT or GET, one at a time with a pause between, over 200 demo/* keys
  local n=0
  while true; do
    if [[ $1 == PUT ]]; then
      curl -s -o /dev/null -X PUT --data "demo value $n" "$url/v1/kv/demo/load-$((n % 200))" &
    else
      curl -s -o /dev/null "$url/v1/kv/demo/load-$((n % 200))" &
    fi
    n=$((n + 1))
    sleep 0.05
    wait
  done
}
load PUT & background+=($!)
load GET & background+=($!)
sleep 30  # half a minute of traffic on the chart before the drill

# The page's own drill button does this: bin/kv-local delete-pod on the pod the cluster names leader.
curl -sf -X POST -H 'X-Ordinal-Drill: capture' "$url/v1/dashboard/drills/delete-leader" >/dev/null
await 20 killed_shown
shoot dashboard-leader-killed.png

# Back as itself (a new process on the same volume), a follower, caught up; then a little more traffic.
await 90 rejoined_shown
sleep 10
shoot dashboard-leader-rejoined.png
