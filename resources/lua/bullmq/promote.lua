-- SPDX-License-Identifier: MIT
-- Promote delayed jobs (spec §4.4): ARGV[4] mode: "ids" promotes ARGV[6..]; "all" promotes up to
-- ARGV[5] of the soonest delayed jobs, each exactly as Job.promote() does (one script per
-- batch, so a worker's own promotion cannot enqueue a job twice).
-- Returns a flat list: id, outcome ("ok", "not-in-state").
local delayedKey = key('delayed')
local ids
if ARGV[4] == 'all' then
  ids = rcall('ZRANGE', delayedKey, 0, tonumber(ARGV[5]) - 1)
else
  ids = argvFrom(6)
end
local out = {}
for _, id in ipairs(ids) do
  local jobKey = key(id)
  -- Existence first: promoting a vanished hash would leave a stub hash (spec §4.4 step 5).
  if rcall('EXISTS', jobKey) == 0 then
    if rcall('ZREM', delayedKey, id) == 1 then
      table.insert(out, id); table.insert(out, 'missing')
    else
      table.insert(out, id); table.insert(out, 'not-in-state')
    end
  elseif rcall('ZREM', delayedKey, id) == 0 then
    table.insert(out, id); table.insert(out, 'not-in-state')
  else
    local priority = tonumber(rcall('HGET', jobKey, 'priority')) or 0
    local isPausedOrMaxed = pausedOrMaxed(base)
    local target = targetList(base)
    local head = rcall('LINDEX', target, 0)
    if head and isLegacyMarker(head) then rcall('LPOP', target) end
    if priority == 0 then
      rcall('LPUSH', target, id)
      addBaseMarker(base, isPausedOrMaxed)
    else
      addPrioritized(base, priority, id, isPausedOrMaxed)
    end
    rcall('XADD', key('events'), '*', 'event', 'waiting', 'jobId', id, 'prev', 'delayed')
    rcall('HSET', jobKey, 'delay', 0)
    table.insert(out, id); table.insert(out, 'ok')
  end
end
return out
