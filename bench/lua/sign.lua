-- Sign POSTs: a unique email per request, a random client address as X-Forwarded-For
-- (believed because 127.0.0.1 is the configured trusted proxy), the page's form fields.
-- Environment: BENCH_PATH, BENCH_BODY (urlencoded form fields but email and country),
-- BENCH_COOKIE (optional), BENCH_TAG (makes this run's emails unique).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local path = bench.env("BENCH_PATH", "/")
local body_prefix = bench.env("BENCH_BODY", "")
local tag = bench.env("BENCH_TAG", "x")
local countries = { "DE", "FR", "GB", "US", "ES", "IT", "NL", "BR", "IN", "JP", "KE", "AR" }
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local cookie = bench.env("BENCH_COOKIE", nil)
if cookie then headers["Cookie"] = cookie end

function init(args)
  math.randomseed(os.time() + 7919 * (thread_id + 1))
end

local function random_ipv4()
  local first = math.random(1, 222)
  if first >= 127 then first = first + 1 end -- never 127/8: that is the trusted proxy
  return first .. "." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "."
    .. math.random(1, 254)
end

function request()
  sent = sent + 1
  headers["X-Forwarded-For"] = random_ipv4()
  local body = body_prefix
    .. "&email=" .. tag .. "t" .. thread_id .. "n" .. sent .. "%40example.org"
    .. "&country=" .. countries[(sent % #countries) + 1]
  return wrk.format("POST", path, headers, body)
end
