-- SPDX-License-Identifier: MIT
-- Clean one state of a Bull queue as Queue.clean(grace, state, limit) does: ARGV[4] state
-- (completed, wait, active, paused, delayed, failed), ARGV[5] cutoff, ARGV[6] limit (0: all).
-- Locked jobs are skipped in every state; a job goes when its first of finishedOn, processedOn,
-- timestamp is missing or strictly older than the cutoff. Returns the removed ids.
local state = ARGV[4]
local cutoff = tonumber(ARGV[5])
local limit = tonumber(ARGV[6])
local setKey = key(state)
local isList = state == 'wait' or state == 'active' or state == 'paused'
local deleted = {}
local rangeStart, rangeEnd = 0, -1
if limit > 0 then rangeStart = -limit end

local function page()
  if isList then return rcall('LRANGE', setKey, rangeStart, rangeEnd) end
  if limit > 0 then return rcall('ZRANGEBYSCORE', setKey, 0, cutoff, 'LIMIT', 0, limit) end
  return rcall('ZRANGE', setKey, rangeStart, rangeEnd)
end

local ids = page()
while (limit <= 0 or #deleted < limit) and #ids > 0 do
  local n = #ids
  for i, id in ipairs(ids) do
    if limit > 0 and #deleted >= limit then break end
    local jobKey = key(id)
    if rcall('EXISTS', jobKey .. ':lock') == 0 then
      local ts
      for _, v in ipairs(rcall('HMGET', jobKey, 'finishedOn', 'processedOn', 'timestamp')) do
        if v then ts = tonumber(v); break end
      end
      if not ts or ts < cutoff then
        if isList then rcall('LSET', setKey, rangeEnd - n + i, '') else rcall('ZREM', setKey, id) end
        rcall('ZREM', key('priority'), id)
        if state ~= 'completed' and state ~= 'failed' then removeDebounce(jobKey) end
        rcall('DEL', jobKey, jobKey .. ':logs')
        removeFromLimiter(id)
        table.insert(deleted, id)
      end
    end
  end
  if limit <= 0 or not isList then break end
  if #deleted < limit then
    rangeStart = rangeStart - limit
    rangeEnd = rangeEnd - limit
    ids = page()
  end
end
if isList then rcall('LREM', setKey, 0, '') end
return deleted
