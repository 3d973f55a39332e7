-- SPDX-License-Identifier: MIT
-- Remove jobs with their children (spec §4.3): ARGV[4] "1" also removes children; ARGV[5]
-- optional state the job must be in ("" for any); ARGV[6..] ids, each removed as
-- Queue.remove(id) does. A job (or, with children, a descendant) holding a worker lock is left
-- alone, as is the current iteration of a job scheduler.
-- Returns a flat list: id, outcome ("ok", "missing", "locked", "scheduler", "not-in-state").
local withChildren = ARGV[4] == '1'
local requiredState = ARGV[5]
local out = {}

local function maxEventsOf(queueBase)
  local meta = queueBase .. 'meta'
  local m = rcall('HGET', meta, 'opts.maxLenEvents')
  if not m then
    m = 10000
    rcall('HSET', meta, 'opts.maxLenEvents', m)
  end
  return m
end

local function anyLocked(jobKey)
  if rcall('EXISTS', jobKey .. ':lock') == 1 then return true end
  if withChildren then
    for _, child in ipairs(rcall('SMEMBERS', jobKey .. ':dependencies')) do
      if anyLocked(child) then return true end
    end
  end
  return false
end

local zsetStates = { 'completed', 'waiting-children', 'delayed', 'failed', 'prioritized' }
local listStates = { 'wait', 'paused', 'active' }

local function removeFromState(queueBase, id)
  for _, s in ipairs(zsetStates) do
    if rcall('ZSCORE', queueBase .. s, id) then
      rcall('ZREM', queueBase .. s, id)
      return s
    end
  end
  for _, s in ipairs(listStates) do
    if rcall('LREM', queueBase .. s, 1, id) > 0 then return s end
  end
  return 'unknown'
end

local removeWithChildren
local function removeChildren(jobKey)
  local processed = rcall('HKEYS', jobKey .. ':processed')
  for _, child in ipairs(processed) do removeWithChildren(child) end
  for _, child in ipairs(rcall('HKEYS', jobKey .. ':failed')) do removeWithChildren(child) end
  for _, child in ipairs(rcall('ZRANGE', jobKey .. ':unsuccessful', 0, -1)) do removeWithChildren(child) end
  for _, child in ipairs(rcall('SMEMBERS', jobKey .. ':dependencies')) do removeWithChildren(child) end
end

removeWithChildren = function(jobKey)
  local queueBase, id = splitJobKey(jobKey)
  detachFromParent(jobKey, false)
  if withChildren then removeChildren(jobKey) end
  local prev = removeFromState(queueBase, id)
  releaseDedup(queueBase, id, jobKey)
  if deleteJobKeys(jobKey) > 0 then
    rcall('XADD', queueBase .. 'events', 'MAXLEN', '~', maxEventsOf(queueBase), '*', 'event', 'removed',
      'jobId', id, 'prev', prev)
  end
end

local function inState(id, s)
  if s == 'wait' or s == 'paused' or s == 'active' then
    return rcall('LPOS', key(s), id) ~= false
  end
  return rcall('ZSCORE', key(s), id) ~= false
end

for _, id in ipairs(argvFrom(6)) do
  local jobKey = key(id)
  local outcome = 'ok'
  if rcall('EXISTS', jobKey) == 0 then
    outcome = 'missing'
  elseif requiredState ~= '' and not inState(id, requiredState) then
    outcome = 'not-in-state'
  elseif isSchedulerIteration(id, jobKey) then
    outcome = 'scheduler'
  elseif anyLocked(jobKey) then
    outcome = 'locked'
  else
    removeWithChildren(jobKey)
  end
  table.insert(out, id); table.insert(out, outcome)
end
return out
