-- wrk script for `npm run bench -- --load wrk`: cycles through the session cookies in BENCH_COOKIES
-- (space-separated; none sends no Cookie header) and prints one machine-readable summary line.
local cookie_name = os.getenv("BENCH_COOKIE_NAME") or "sessionid"
local cookies = {}
for cookie in string.gmatch(os.getenv("BENCH_COOKIES") or "", "%S+") do
  table.insert(cookies, cookie_name .. "=" .. cookie)
end
local next_cookie = 0

request = function()
  if #cookies == 0 then
    return wrk.format("GET")
  end
  next_cookie = next_cookie % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[next_cookie] })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d failures=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
