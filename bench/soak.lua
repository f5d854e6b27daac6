-- Soak: a mix of operations, round-robin, until LIMIT responses in all; counts every non-200.
-- MIX is a file of lines `METHOD<TAB>PATH<TAB>HEADERS<TAB>BODY` (HEADERS `k=v;k=v`); a BODY holding
-- __UNIQUE__ gets a fresh id per request. Each thread writes DONE_DIR/<id> when it has its share, so
-- that run.sh can end wrk (SIGINT) without waiting for -d.
local threads = {}
local requests = {}
local n, seen, bad, counter, id, limit = 0, 0, 0, 0, 0, 0
local run = os.getenv("RUN_ID") or tostring(os.time())

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  id = wrk.thread:get("id")
  limit = math.ceil(tonumber(os.getenv("LIMIT")) / tonumber(os.getenv("THREADS")))
  for line in io.lines(os.getenv("MIX")) do
    local method, path, hdrs, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    for k, v in hdrs:gmatch("([^=;]+)=([^;]*)") do headers[k] = v end
    table.insert(requests, { method = method, path = path, headers = headers, body = body })
  end
end

function request()
  n = n % #requests + 1
  local r = requests[n]
  local body = r.body
  if body:find("__UNIQUE__", 1, true) then
    counter = counter + 1
    body = body:gsub("__UNIQUE__", string.format("%s%d%08d", run, id, counter))
  end
  if body == "" then body = nil end
  return wrk.format(r.method, r.path, r.headers, body)
end

function response(status, headers, body)
  seen = seen + 1
  if status ~= 200 then bad = bad + 1 end
  if seen == limit then
    wrk.thread:set("seen", seen)
    wrk.thread:set("bad", bad)
    local f = io.open(os.getenv("DONE_DIR") .. "/" .. id, "w")
    f:write(seen, " ", bad, "\n")
    f:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_seen, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_seen = total_seen + (t:get("seen") or 0)
    total_bad = total_bad + (t:get("bad") or 0)
  end
  io.write(string.format("SOAK responses=%d non200=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    total_seen, total_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
