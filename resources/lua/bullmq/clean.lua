-- SPDX-License-Identifier: MIT
-- Clean one state (spec §4.6) as Queue.clean(grace, limit, type) does in one call: ARGV[4]
-- state (completed, failed, delayed, prioritized, wait, paused, active, waiting-children),
-- ARGV[5] cutoff = now - grace, ARGV[6] limit (0: no limit). Jobs of a list are blanked in place
-- and the blanks removed at the end, so indexes do not move while the list is walked; locked
-- active jobs and the current scheduler iteration stay. Returns the removed ids.
local state = ARGV[4]
local cutoff = tonumber(ARGV[5])
local limit = tonumber(ARGV[6])
local stateKey = key(state)
local deleted = {}

local function removeHard(id)
  local jobKey = key(id)
  detachFromParent(jobKey, true)
  releaseDedup(base, id, jobKey)
  deleteJobKeys(jobKey)
  table.insert(deleted, id)
end

local function timestampOf(jobKey, fields)
  for _, f in ipairs(fields) do
    local v = rcall('HGET', jobKey, f)
    if v then return tonumber(v) end
  end
  return nil
end

local function old(jobKey, fields)
  local ts = timestampOf(jobKey, fields)
  return not ts or ts <= cutoff
end

if state == 'wait' or state == 'paused' or state == 'active' then
  local ids = rcall('LRANGE', stateKey, limit > 0 and -limit or 0, -1)
  local n = #ids
  for i, id in ipairs(ids) do
    if limit > 0 and #deleted >= limit then break end
    local jobKey = key(id)
    if (state ~= 'active' or rcall('EXISTS', jobKey .. ':lock') == 0) and not isSchedulerIteration(id, jobKey)
      and old(jobKey, { 'finishedOn', 'processedOn', 'timestamp' }) then
      rcall('LSET', stateKey, -1 - n + i, '')
      removeHard(id)
    end
  end
  rcall('LREM', stateKey, 0, '')
else
  local finished = state ~= 'delayed' and state ~= 'prioritized'
  local ids
  if finished then
    if limit > 0 then
      ids = rcall('ZRANGEBYSCORE', stateKey, 0, cutoff, 'LIMIT', 0, limit)
    else
      ids = rcall('ZRANGEBYSCORE', stateKey, 0, cutoff)
    end
  elseif limit > 0 then
    ids = rcall('ZRANGEBYSCORE', stateKey, 0, '+inf', 'LIMIT', 0, limit)
  else
    ids = rcall('ZRANGEBYSCORE', stateKey, 0, '+inf')
  end
  local fields = state == 'delayed' and { 'processedOn', 'timestamp' } or { 'timestamp' }
  for _, id in ipairs(ids) do
    if limit > 0 and #deleted >= limit then break end
    local jobKey = key(id)
    if finished then
      removeHard(id)
    elseif not isSchedulerIteration(id, jobKey) and old(jobKey, fields) then
      removeHard(id)
    end
  end
  for from = 1, #deleted, 7000 do
    rcall('ZREM', stateKey, unpack(deleted, from, math.min(from + 6999, #deleted)))
  end
end
rcall('XADD', key('events'), '*', 'event', 'cleaned', 'count', #deleted)
return deleted
