-- wrk script for bench/outbox.sh: POST organization/create with a unique slug per request, as
-- one signed-in user (BENCH_COOKIE), from BENCH_ORIGIN.
local counter = 0
local threads = {}
local prefix = os.getenv("BENCH_PREFIX") or "b"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
end

function request()
  counter = counter + 1
  local slug = string.format("%s-%d-%d", prefix, tid, counter)
  return wrk.format(nil, nil, nil, '{"name":"Org ' .. slug .. '","slug":"' .. slug .. '"}')
end
