-- wrk script for the KVStore benchmark (bench/run.sh). wrk's Lua is LuaJIT (Lua 5.1).
--
-- Each wrk thread has its own Lua state: init() runs once per thread and reads the pool
-- file; request() is called once per request and returns a ready-made HTTP request.
--
-- Environment (set by run.sh):
--   BENCH_MODE    get | hot | put | create | warmup | webdis
--   BENCH_POOL    file of "<access_token><TAB><key>" lines (get/put/create/warmup; hot without
--                 BENCH_HOT_TOKEN and BENCH_HOT_KEY)
--   BENCH_HOT_TOKEN, BENCH_HOT_KEY   hot mode: every request is GET /api/v1/kv/<key> with that one
--                 token, on every connection; the first line of the pool when not set
--   BENCH_RUN_ID  unique per wrk run, part of every created key so that a run never hits a 409
--   BENCH_VALUE   the ~100-byte value used for PUT and create bodies
--   WEBDIS_KEY_PREFIX, WEBDIS_KEYS   webdis mode: GET /GET/<prefix><0..n-1>

local mode = os.getenv("BENCH_MODE") or "get"
local pool_path = os.getenv("BENCH_POOL")
local run_id = os.getenv("BENCH_RUN_ID") or "run"
local value = os.getenv("BENCH_VALUE") or string.rep("v", 100)

-- setup() runs in wrk's main Lua state, once per thread, before the threads start:
-- hand each thread a distinct number (used in the keys it creates).
local next_thread_id = 0

function setup(thread)
   next_thread_id = next_thread_id + 1
   thread:set("thread_id", next_thread_id)
end

local gets, puts, tokens = {}, {}, {}
local count = 0
local created = 0
local random = math.random

local function json_headers(token)
   return { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

function init(args)
   local id = thread_id or 0
   math.randomseed(os.time() * 1000 + id * 7919)
   -- LuaJIT's first draws after seeding are poorly spread; discard a few.
   for _ = 1, 10 do random() end

   if mode == "webdis" then
      local prefix = os.getenv("WEBDIS_KEY_PREFIX") or "kvbench:"
      local n = tonumber(os.getenv("WEBDIS_KEYS") or "1")
      for i = 0, n - 1 do
         count = count + 1
         gets[count] = wrk.format("GET", "/GET/" .. prefix .. i, {})
      end
      return
   end

   if mode == "hot" then
      local token, key = os.getenv("BENCH_HOT_TOKEN"), os.getenv("BENCH_HOT_KEY")
      if not (token and token ~= "" and key and key ~= "") then
         assert(pool_path, "hot mode needs BENCH_HOT_TOKEN and BENCH_HOT_KEY, or BENCH_POOL")
         local file = assert(io.open(pool_path, "r"))
         token, key = (file:read("*l") or ""):match("^(%S+)\t(%S+)$")
         file:close()
         assert(token, "the pool file " .. pool_path .. " has no entries")
      end
      count = 1
      gets[1] = wrk.format("GET", "/api/v1/kv/" .. key, { ["Authorization"] = "Bearer " .. token })
      return
   end

   assert(pool_path, "BENCH_POOL is not set")
   local file = assert(io.open(pool_path, "r"))
   local put_body = '{"value":"' .. value .. '"}'
   for line in file:lines() do
      local token, key = line:match("^(%S+)\t(%S+)$")
      if token then
         count = count + 1
         tokens[count] = token
         -- Keys in the pool are plain [A-Za-z0-9-]: no percent-encoding needed.
         gets[count] = wrk.format("GET", "/api/v1/kv/" .. key,
            { ["Authorization"] = "Bearer " .. token })
         puts[count] = wrk.format("PUT", "/api/v1/kv/" .. key, json_headers(token), put_body)
      end
   end
   file:close()
   assert(count > 0, "the pool file " .. pool_path .. " has no entries")
end

local function create(prefix)
   created = created + 1
   local token = tokens[random(count)]
   -- Unique per wrk run (BENCH_RUN_ID), thread and request: never a 409.
   local key = prefix .. "-" .. run_id .. "-t" .. (thread_id or 0) .. "-" .. created
   local body = '{"key":"' .. key .. '","value":"' .. value
      .. '","ttl":3600,"tags":{"t":"bench"}}'
   return wrk.format("POST", "/api/v1/kv", json_headers(token), body)
end

function request()
   if mode == "get" or mode == "webdis" then
      return gets[random(count)]
   elseif mode == "hot" then
      return gets[1]
   elseif mode == "put" then
      return puts[random(count)]
   elseif mode == "create" then
      return create("c")
   elseif mode == "warmup" then
      -- Mostly GET, with some PUT and create so that every measured path gets compiled.
      local r = random(10)
      if r <= 8 then
         return gets[random(count)]
      elseif r == 9 then
         return puts[random(count)]
      else
         return create("w")
      end
   end
   error("unknown BENCH_MODE " .. mode)
end
