-- A state-changing POST with a fresh id in every request: BODY holds the placeholder __UNIQUE__,
-- replaced by <run>-<thread>-<counter> (so repeated runs never collide either).
local threads = {}
local counter = 0
local id = 0
local run = os.getenv("RUN_ID") or tostring(os.time())

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  id = wrk.thread:get("id")
end

local template = os.getenv("BODY")
local headers = {
  ["Content-Type"] = "application/json",
  ["apikey"] = os.getenv("APIKEY") or "sandbank-demo-key",
}

function request()
  counter = counter + 1
  local unique = string.format("%s%d%08d", run, id, counter)
  local body = template:gsub("__UNIQUE__", unique)
  return wrk.format("POST", nil, headers, body)
end
