-- SPDX-License-Identifier: MIT
-- Retry failed or completed jobs (spec §4.1, §4.2). ARGV[4] state (failed|completed),
-- ARGV[5] mode: "ids" retries ARGV[10..] one by one as Job.retry(state) does; "all" retries up
-- to ARGV[6] jobs finished at or before ARGV[7] as Queue.retryJobs does.
-- ARGV[8]/ARGV[9] reset attemptsMade/attemptsStarted ("1"), ids mode only.
-- Returns a flat list: id, outcome, id, outcome… (outcome "ok", "missing", "not-in-state");
-- "all" returns the retried ids only.
local state = ARGV[4]
local stateKey = key(state)
local field = state == 'failed' and 'failedReason' or 'returnvalue'
local out = {}

local function eventMaxLen()
  if gen == 4 then return rcall('HGET', metaKey, 'opts.maxLenEvents') or 10000 end
  return maxEvents()
end

if ARGV[5] == 'all' then
  local ids = rcall('ZRANGEBYSCORE', stateKey, 0, ARGV[7], 'LIMIT', 0, tonumber(ARGV[6]))
  if #ids == 0 then return out end
  local isPausedOrMaxed = pausedOrMaxed(base)
  local target = targetList(base)
  for _, id in ipairs(ids) do
    local jobKey = key(id)
    rcall('HDEL', jobKey, 'finishedOn', 'processedOn', field)
    if gen >= 6 then childBackToParent(jobKey, state) end
  end
  local m = eventMaxLen()
  for _, id in ipairs(ids) do
    rcall('XADD', key('events'), 'MAXLEN', '~', m, '*', 'event', 'waiting', 'jobId', id, 'prev', state)
  end
  for from = 1, #ids, 7000 do
    local to = math.min(from + 6999, #ids)
    rcall('ZREM', stateKey, unpack(ids, from, to))
    rcall('LPUSH', target, unpack(ids, from, to))
  end
  addBaseMarker(base, isPausedOrMaxed)
  return ids -- every one retried: the ids alone (half the reply of id/outcome pairs)
end

for _, id in ipairs(argvFrom(10)) do
  local jobKey = key(id)
  if rcall('EXISTS', jobKey) == 0 then
    table.insert(out, id); table.insert(out, 'missing')
  elseif rcall('ZREM', stateKey, id) == 0 then
    table.insert(out, id); table.insert(out, 'not-in-state')
  else
    local fields = { 'finishedOn', 'processedOn', field }
    if gen >= 5 and ARGV[8] == '1' then table.insert(fields, 'atm') end
    if gen >= 5 and ARGV[9] == '1' then table.insert(fields, 'ats') end
    rcall('HDEL', jobKey, unpack(fields))
    local isPausedOrMaxed = pausedOrMaxed(base)
    local priority = tonumber(rcall('HGET', jobKey, 'priority')) or 0
    if gen >= 6 and priority > 0 then
      addPrioritized(base, priority, id, isPausedOrMaxed)
    else
      local push = 'LPUSH'
      local opts = rcall('HGET', jobKey, 'opts')
      if opts then
        local ok, decoded = pcall(cjson.decode, opts)
        if ok and type(decoded) == 'table' and decoded['lifo'] == true then push = 'RPUSH' end
      end
      rcall(push, targetList(base), id)
      addBaseMarker(base, isPausedOrMaxed)
    end
    if gen >= 5 then
      childBackToParent(jobKey, state)
      rcall('XADD', key('events'), 'MAXLEN', '~', maxEvents(), '*', 'event', 'waiting', 'jobId', id, 'prev', state)
    else
      rcall('XADD', key('events'), '*', 'event', 'waiting', 'jobId', id, 'prev', state)
    end
    table.insert(out, id); table.insert(out, 'ok')
  end
end
return out
