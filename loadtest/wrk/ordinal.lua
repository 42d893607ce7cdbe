-- wrk against Ordinal's HTTP API v1 (through the frontend). See common.lua for the scenarios.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local c = require("common")

local revisions = {}   -- cas: the last revision this thread saw for each hot key

setup = c.setup
done = c.done

function init(args)
  c.init()
end

function request()
  local op = c.next_op()
  local k = c.key_number()
  if k == nil then -- fill: nothing left to write; read until every write is answered
    return wrk.format("GET", "/q/health/live")
  end
  local path = "/v1/kv/bench/" .. k
  if op == "get" then
    return wrk.format("GET", path)
  elseif op == "put" then
    return wrk.format("PUT", path, nil, c.value)
  end
  -- cas: If-Match the revision last seen (0 never matches: the first answer tells the current one)
  return wrk.format("PUT", path, { ["If-Match"] = '"' .. (revisions[k] or 0) .. '"' }, c.value)
end

function response(status, headers, body)
  c.count(status)
  if c.scenario == "cas" then
    local k = body:match('"key":"bench/(%d+)"') or body:match("key 'bench/(%d+)'")
    local rev = body:match('"revision":(%d+)') or body:match('"currentRevision":(%d+)')
    if k and rev then revisions[tonumber(k)] = rev end
  end
end
