-- A fixed authenticated POST: BODY, APIKEY and optional PRIORITY (x-priority) from the environment.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["apikey"] = os.getenv("APIKEY") or "sandbank-demo-key"
local priority = os.getenv("PRIORITY")
if priority and priority ~= "" then wrk.headers["x-priority"] = priority end
