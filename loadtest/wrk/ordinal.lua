-- wrk against Ordinal's HTTP API v1 (through the frontend), http:// or https:// (security on: TOKEN
-- goes as a bearer token). See common.lua for the scenarios and the environment.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local c = require("common")

local revisions = {}   -- cas: the last revision this thread saw for each hot key

setup = c.setup
done = c.done

function init(args)
  c.init()
  -- wrk.format sends wrk.headers when it is given no headers of its own (cas gives its own)
  if c.token then wrk.headers["Authorization"] = "Bearer " .. c.token end
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
  return wrk.format("PUT", path, { ["If-Match"] = '"' .. (revisions[k] or 0) .. '"',
    ["Authorization"] = wrk.headers["Authorization"] }, c.value)
end

function response(status, headers, body)
  c.count(status)
  if c.scenario == "cas" then
    local k = body:match('"key":"bench/(%d+)"') or body:match("key 'bench/(%d+)'")
    local rev = body:match('"revision":(%d+)') or body:match('"currentRevision":(%d+)')
    if k and rev then revisions[tonumber(k)] = rev end
  end
end
