-- wrk script for bench/api-key.sh: one request, repeated, and every answer checked. An answer
-- counts as good only when its status is BENCH_STATUS (200) and its body matches the Lua pattern
-- BENCH_EXPECT (e.g. '"valid"%s*:%s*true' for /api-key/verify), so a 200 that says
-- valid:false, a null session or an error body is never counted as a success. done() prints
--   CHECKED_ANSWERS <n>   BAD_ANSWERS <n>   [FIRST_BAD <status> <first 200 bytes of the body>]
-- which bench/api-key.sh reads (wrk's own "Non-2xx" line only sees statuses).
--
-- Environment (read by every wrk thread):
--   BENCH_METHOD   GET | POST                  [GET]
--   BENCH_BODY     the request body            [none]
--   BENCH_HEADERS  "Name: value" lines, one header per line (e.g. x-api-key, X-Service-API-Key)
--   BENCH_EXPECT   Lua pattern the body must match (required)
--   BENCH_STATUS   the expected status         [200]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local expect = os.getenv("BENCH_EXPECT") or ""
local want_status = tonumber(os.getenv("BENCH_STATUS") or "200")
checked = 0
bad = 0
first_bad = nil

function init(args)
  if expect == "" then error("BENCH_EXPECT is not set: refusing to count unchecked answers") end
  wrk.method = os.getenv("BENCH_METHOD") or "GET"
  local body = os.getenv("BENCH_BODY")
  if body ~= nil and body ~= "" then
    wrk.body = body
    wrk.headers["Content-Type"] = "application/json"
  end
  for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
    local name, value = string.match(line, "^%s*([^:]+):%s*(.-)%s*$")
    if name then wrk.headers[name] = value end
  end
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= want_status or body == nil or not string.find(body, expect) then
    bad = bad + 1
    if first_bad == nil then
      first_bad = tostring(status) .. " " .. string.gsub(string.sub(body or "", 1, 200), "[\r\n]", " ")
    end
  end
end

function done(summary, latency, requests)
  local total_checked, total_bad, sample = 0, 0, nil
  for _, thread in ipairs(threads) do
    total_checked = total_checked + (thread:get("checked") or 0)
    total_bad = total_bad + (thread:get("bad") or 0)
    sample = sample or thread:get("first_bad")
  end
  io.write(string.format("CHECKED_ANSWERS %d\n", total_checked))
  io.write(string.format("BAD_ANSWERS %d\n", total_bad))
  if sample then io.write("FIRST_BAD " .. sample .. "\n") end
end
