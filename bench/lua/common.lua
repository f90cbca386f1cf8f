-- Shared by the bench scripts (loaded with dofile into wrk's main state and each thread's).
-- Gives every thread an id, counts answers by status, paces requests when BENCH_RATE is set,
-- and prints one "BENCH_RESULT {json}" line from done() for run.py to read.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")

bench = {}

function bench.now_ms()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

function bench.env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then return default end
  return value
end

bench.threads = tonumber(bench.env("BENCH_THREADS", "1"))

-- Per-thread state (globals, so the main state can read them with thread:get).
thread_id = 0 -- set by setup() before init() runs
statuses = {}
sent = 0
late = 0
exhausted = false

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

-- Constant arrival rate: each thread hands out send slots `interval` ms apart; a connection
-- that is free waits for the next slot. A slot already in the past is sent at once (and
-- counted as late when more than 5 ms behind), so a backlog is caught up, as wrk2 does.
local rate = tonumber(bench.env("BENCH_RATE", "0"))
if rate > 0 then
  local interval = bench.threads * 1000 / rate
  local next_slot = nil
  function delay()
    local now = bench.now_ms()
    if next_slot == nil then next_slot = now end
    local wait = next_slot - now
    next_slot = next_slot + interval
    if wait < -5 then late = late + 1 end
    if wait <= 0 then return 0 end
    return math.floor(wait + 0.5)
  end
end

-- Tell run.py this thread has nothing more to send, and stop it.
function bench.finish()
  if exhausted then return end
  exhausted = true
  local dir = bench.env("BENCH_DONE_DIR", nil)
  if dir then
    local file = io.open(dir .. "/thread-" .. thread_id, "w")
    if file then file:write("done\n"); file:close() end
  end
  wrk.thread:stop()
end

function done(summary, latency, requests)
  local codes, total_sent, total_late = {}, 0, 0
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses") or {}) do
      codes[code] = (codes[code] or 0) + n
    end
    total_sent = total_sent + (thread:get("sent") or 0)
    total_late = total_late + (thread:get("late") or 0)
  end
  local parts = {}
  for code, n in pairs(codes) do
    parts[#parts + 1] = string.format('"%d": %d', code, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d, ' ..
    '"p999": %d}, "status_counts": {%s}, "sent": %d, "late": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency:percentile(99.9),
    table.concat(parts, ", "), total_sent, total_late))
end
