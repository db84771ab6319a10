-- wrk script: one execution record per POST, keep-alive (the issue's single-event figure).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent_id":"agent-1","execution_id":"e1","action_type":"llm_call","status":"success","latency_ms":120,"token_count":420,"cost_usd":0.0004}'

-- Execution ids are unique across threads and runs: vitals stores a repeated one (same agent and
-- content) once, as a client's retry.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
init = function(args)
  run = os.time()
end

-- Spread the events over 1,000 agents, so the figure is not one agent's lock.
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"agent_id":"agent-%d","execution_id":"e%d-%d-%d","action_type":"llm_call","status":"success","latency_ms":%d,"token_count":420,"cost_usd":0.0004}',
    n % 1000, run, tid or 0, n, 50 + n % 900)
  return wrk.format(nil, nil, nil, body)
end

-- Stop at the first failure: a rate made of error answers means nothing.
response = function(status, headers, body)
  if status >= 300 then wrk.thread:stop() end
end
