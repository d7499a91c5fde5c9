-- wrk script of scripts/bench http (HttpBenchmark): one endpoint per run, 4 connections, closed loop.
-- wrk ... -s wrk.lua URL -- ENDPOINT USERS_CSV SERVICE_TOKEN KEY_PREFIX FIRST_USER
--   ENDPOINT   awards | weekly | me-points
--   USERS_CSV  userId,token lines (header first), in a shuffled order: users are taken in turn from
--              FIRST_USER on, so no user repeats within the server's 5 s principal cache
-- Requests are made up front per call of request(); nothing is parsed per response (wrk counts
-- non-2xx/3xx statuses itself), so the generator stays as cheap as pgbench's client.
local endpoint, service, prefix
local ids, tokens = {}, {}
local i, first = 0, 0

function init(args)
  endpoint, service, prefix = args[1], args[3], args[4]
  first = tonumber(args[5]) or 0
  for line in io.lines(args[2]) do
    local id, token = line:match("^([^,]+),(.+)$")
    if id and id ~= "userId" then
      ids[#ids + 1] = id
      tokens[#tokens + 1] = token
    end
  end
end

function request()
  local k = (first + i) % #ids + 1
  i = i + 1
  if endpoint == "awards" then
    local body = '{"userId":"' .. ids[k] .. '","activityType":"bench_activity","idempotencyKey":"' .. prefix .. i .. '"}'
    return wrk.format("POST", "/v1/awards",
      { ["Authorization"] = "Bearer " .. service, ["Content-Type"] = "application/json", ["Accept"] = "application/json" }, body)
  elseif endpoint == "weekly" then
    return wrk.format("GET", "/v1/leaderboards/weekly?limit=50",
      { ["Authorization"] = "Bearer " .. tokens[k], ["Accept"] = "application/json" })
  else
    return wrk.format("GET", "/v1/me/points",
      { ["Authorization"] = "Bearer " .. tokens[k], ["Accept"] = "application/json" })
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("[wrk] requests=%d duration_us=%d socket_errors=%d bad_status=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
