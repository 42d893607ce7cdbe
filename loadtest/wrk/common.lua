-- Shared by ordinal.lua and etcd.lua: the scenario mix, the key space, status accounting and the
-- summary line that compare-etcd.sh parses. Environment:
--   SCENARIO  put | read95 | mixed50 | cas | fill  (default put; fill writes keys 1..KEYS once each,
--             in order, then stops: a preload; run it with THREADS set to wrk's -t)
--   KEYS      size of the key space              (default 100000; cas uses HOT_KEYS)
--   HOT_KEYS  keys the cas scenario fights over  (default 8)
--   VALUE     value size in bytes                (default 256)
--   TOKEN     a credential sent with every request in an Authorization header, as each adapter
--             spells it (ordinal.lua: "Bearer TOKEN"; etcd.lua: the bare token, as etcd's gateway
--             takes it); unset or empty: no header (compare-etcd.sh sets it with SECURE=1)
local M = {}

M.scenario = os.getenv("SCENARIO") or "put"
M.keys = tonumber(os.getenv("KEYS") or "100000")
M.hot = tonumber(os.getenv("HOT_KEYS") or "8")
M.value = string.rep("v", tonumber(os.getenv("VALUE") or "256"))
M.token = os.getenv("TOKEN")
if M.token == "" then M.token = nil end

-- What the next request is: "put", "get" or "cas".
M.threads = tonumber(os.getenv("THREADS") or "2")
local filled, exhausted, written, waited = 0, false, 0, 0

function M.next_op()
  if M.scenario == "put" or M.scenario == "fill" then return "put" end
  if M.scenario == "cas" then return "cas" end
  local reads = (M.scenario == "read95") and 0.95 or 0.5
  if math.random() < reads then return "get" end
  return "put"
end

function M.key_number()
  if M.scenario == "cas" then return math.random(M.hot) end
  if M.scenario == "fill" then
    -- this thread's share: id, id + threads, id + 2 * threads, ... up to KEYS, each written once
    local k = id + filled * M.threads
    if k > M.keys then
      exhausted = true
      return nil
    end
    filled = filled + 1
    return k
  end
  return math.random(M.keys)
end

local threads = {}

function M.setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function M.init()
  math.randomseed(os.time() * 1000 + (id or 0))
  statuses = {}
end

-- Counts every status; a 412 is a lost compare-and-swap race, not an error, in the cas scenario.
function M.count(status)
  statuses[status] = (statuses[status] or 0) + 1
  -- fill (into an empty store): a write answers 201 (or an error), the reads that wait for the last
  -- writes answer 200; the thread stops once every write it sent is answered (wrk itself then ends
  -- when it is interrupted: loadtest/footprint.sh does that)
  if M.scenario == "fill" and status ~= 200 then
    written = written + 1
  elseif M.scenario == "fill" and exhausted then
    waited = waited + 1
  end
  -- (wrk itself drops a request now and then: after 5,000 reads with no answer left, stop anyway;
  -- loadtest/footprint.sh counts the keys that were written)
  if M.scenario == "fill" and exhausted and (written >= filled or waited > 5000) then
    wrk.thread:stop()
  end
end

function M.done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do counts[code] = (counts[code] or 0) + n end
  end
  local ok, failed_cas, errors = 0, 0, 0
  local detail = {}
  for code, n in pairs(counts) do
    if code >= 200 and code < 300 then ok = ok + n
    elseif code == 412 and M.scenario == "cas" then failed_cas = failed_cas + n
    else errors = errors + n end
    table.insert(detail, code .. "=" .. n)
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT scenario=%s requests=%d ok=%d cas_lost=%d errors=%d socket_errors=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f statuses=%s\n",
    M.scenario, summary.requests, ok, failed_cas, errors + socket_errors, socket_errors,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(detail, ",")))
end

return M
