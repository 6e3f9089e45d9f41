-- tests/bench/session.lua: a wrk script for the pages behind a login.
-- Sends the session cookie from $BENCH_COOKIE with every request; when
-- $BENCH_BODY is set, sends a urlencoded POST with that body and the
-- browser's Origin ($BENCH_ORIGIN), as a form in the page would.
local cookie = os.getenv("BENCH_COOKIE")
local body = os.getenv("BENCH_BODY")
local origin = os.getenv("BENCH_ORIGIN")

if cookie and cookie ~= "" then
	wrk.headers["Cookie"] = cookie
end
if body and body ~= "" then
	wrk.method = "POST"
	wrk.body = body
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
	wrk.headers["Origin"] = origin
end
