-- Confirmation POSTs: each token from BENCH_TOKENS (one per line) is posted once, the
-- tokens dealt round-robin to the threads. A thread that runs out stops and says so in
-- BENCH_DONE_DIR; run.py ends the run when all have.
-- Environment: BENCH_TOKENS, BENCH_DONE_DIR, BENCH_BODY (the confirm form's fields),
-- BENCH_COOKIE (optional).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local body = bench.env("BENCH_BODY", "")
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local cookie = bench.env("BENCH_COOKIE", nil)
if cookie then headers["Cookie"] = cookie end
local tokens = {}

function init(args)
  local index = 0
  for line in io.lines(bench.env("BENCH_TOKENS", "/dev/null")) do
    if index % bench.threads == thread_id and line ~= "" then
      tokens[#tokens + 1] = line
    end
    index = index + 1
  end
end

function request()
  if sent >= #tokens then
    bench.finish()
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  return wrk.format("POST", "/confirm/" .. tokens[sent] .. "/", headers, body)
end
