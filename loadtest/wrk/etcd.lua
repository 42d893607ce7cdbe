-- wrk against etcd's v3 JSON gateway (POST /v3/kv/put, /v3/kv/range, /v3/kv/txn; keys and values
-- in base64), http:// or https:// (auth on: TOKEN, from /v3/auth/authenticate, goes bare in the
-- Authorization header, which the gateway hands on as the token). Reads are etcd's default,
-- linearizable. See common.lua for the scenarios and the environment.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local c = require("common")

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function b64(data)
  return ((data:gsub(".", function(x)
    local r, byte = "", x:byte()
    for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d?%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local n = 0
    for i = 1, 6 do n = n + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b64chars:sub(n + 1, n + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

local value64
local key64 = {}
local revisions = {}
local names = {}       -- base64 key -> key number (cas answers name the key in base64)

setup = c.setup
done = c.done

local function k64(k)
  local v = key64[k]
  if not v then
    v = b64("bench/" .. k)
    key64[k] = v
    names[v] = k
  end
  return v
end

local json = { ["Content-Type"] = "application/json" }

function init(args)
  c.init()
  value64 = b64(c.value)
  json["Authorization"] = c.token
end

function request()
  local op = c.next_op()
  local k = c.key_number()
  if op == "get" then
    return wrk.format("POST", "/v3/kv/range", json, '{"key":"' .. k64(k) .. '"}')
  elseif op == "put" then
    return wrk.format("POST", "/v3/kv/put", json, '{"key":"' .. k64(k) .. '","value":"' .. value64 .. '"}')
  end
  -- cas: a txn comparing the key's mod_revision, reading the key back either way (to learn its revision)
  local rng = '{"request_range":{"key":"' .. k64(k) .. '"}}'
  local body = '{"compare":[{"key":"' .. k64(k) .. '","target":"MOD","result":"EQUAL","mod_revision":"' ..
      (revisions[k] or 0) .. '"}],"success":[{"request_put":{"key":"' .. k64(k) .. '","value":"' .. value64 ..
      '"}},' .. rng .. '],"failure":[' .. rng .. ']}'
  return wrk.format("POST", "/v3/kv/txn", json, body)
end

function response(status, headers, body)
  if c.scenario == "cas" and status == 200 then
    local k = body:match('"kvs":%[{"key":"([^"]+)"')
    local rev = body:match('"mod_revision":"(%d+)"')
    if k and rev and names[k] then revisions[names[k]] = rev end
    -- a txn answers 200 either way: count a failed compare as the 412 it is on the other side
    if not body:match('"succeeded":true') then status = 412 end
  end
  c.count(status)
end
