-- SPDX-License-Identifier: MIT
-- Pause or resume (spec §4.7). ARGV[4] "paused" | "resumed".
-- 6.x pause leaves jobs in wait; resume merges a legacy paused list into wait (RENAME only when
-- wait does not exist, never over it). ≤5.x pause renames wait → paused (merging instead when
-- paused already holds jobs, so nothing is overwritten); resume the reverse.
-- Returns the number of jobs still in the legacy paused list (resume of 6.x: call again).
local waitKey, pausedKey, markerKey = key('wait'), key('paused'), key('marker')
local function moveList(from, to, head)
  if rcall('EXISTS', from) == 0 then return 0 end
  if rcall('EXISTS', to) == 0 then
    rcall('RENAME', from, to)
    return 0
  end
  local ids = rcall('LRANGE', from, 0, 6999)
  if head then rcall('LPUSH', to, unpack(ids)) else rcall('RPUSH', to, unpack(ids)) end
  rcall('LTRIM', from, #ids, -1)
  return rcall('LLEN', from)
end
local remaining = 0
if ARGV[4] == 'paused' then
  if gen < 6 then remaining = moveList(waitKey, pausedKey, false) end
  rcall('HSET', metaKey, 'paused', 1)
  if gen >= 5 then rcall('DEL', markerKey) end
else
  rcall('HDEL', metaKey, 'paused')
  remaining = moveList(pausedKey, waitKey, false)
  if gen >= 5 then
    if rcall('LLEN', waitKey) + rcall('ZCARD', key('prioritized')) > 0 then
      rcall('ZADD', markerKey, 0, '0')
    else
      addDelayMarker(base)
    end
  elseif rcall('ZCARD', key('prioritized')) > 0 and rcall('LLEN', waitKey) == 0 then
    rcall('LPUSH', waitKey, '0:0')
  end
end
if ARGV[5] ~= '0' then rcall('XADD', key('events'), '*', 'event', ARGV[4]) end
return remaining
