-- SPDX-License-Identifier: MIT
-- Promote delayed jobs of a Bull queue as Job.promote() does: ARGV[4] "ids" (ARGV[6..]) or "all"
-- (up to ARGV[5] of the soonest). Returns a flat list: id, outcome.
local delayedKey = key('delayed')
local ids
if ARGV[4] == 'all' then ids = rcall('ZRANGE', delayedKey, 0, tonumber(ARGV[5]) - 1) else ids = argvFrom(6) end
local out = {}
for _, id in ipairs(ids) do
  local jobKey = key(id)
  local outcome = 'ok'
  if rcall('EXISTS', jobKey) == 0 then
    outcome = rcall('ZREM', delayedKey, id) == 1 and 'missing' or 'not-in-state'
  elseif rcall('ZREM', delayedKey, id) == 0 then
    outcome = 'not-in-state'
  else
    local priority = tonumber(rcall('HGET', jobKey, 'priority')) or 0
    local target = targetList()
    if priority == 0 then rcall('LPUSH', target, id) else addWithPriority(priority, id, target) end
    publishWaiting(id)
    rcall('HSET', jobKey, 'delay', 0)
  end
  table.insert(out, id); table.insert(out, outcome)
end
return out
