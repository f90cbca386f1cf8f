-- One fixed request, repeated: GET of the URL's path, or POST when BENCH_METHOD=POST.
-- A static request is built once by wrk, so the load generator spends the least CPU.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

wrk.method = bench.env("BENCH_METHOD", "GET")
if wrk.method == "POST" then
  wrk.body = bench.env("BENCH_BODY", "payload=floor")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = bench.env("BENCH_COOKIE", nil)
if cookie then wrk.headers["Cookie"] = cookie end
