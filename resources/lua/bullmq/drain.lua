-- SPDX-License-Identifier: MIT
-- Drain a queue as Queue.drain(delayed) does (spec §4.9): every job of wait, paused, prioritized
-- and, when ARGV[4] is "1", delayed is removed (parents of the same queue left without children
-- go too; dedup ids released), except the current iterations of job schedulers. Exactly the
-- removed ids leave their containers. No events. Returns the removed ids.
local removed = {}
local keep = {}
local schedulers = rcall('ZRANGE', key('repeat'), 0, -1, 'WITHSCORES')
for i = 1, #schedulers, 2 do keep['repeat:' .. schedulers[i] .. ':' .. schedulers[i + 1]] = true end

local function removeHard(id)
  local jobKey = key(id)
  detachFromParent(jobKey, true)
  releaseDedup(base, id, jobKey)
  deleteJobKeys(jobKey)
  table.insert(removed, id)
end

local function drainList(listKey)
  local ids = rcall('LRANGE', listKey, 0, -1)
  local kept = 0
  local gone = {}
  for _, id in ipairs(ids) do
    if keep[id] then kept = kept + 1 else removeHard(id); table.insert(gone, id) end
  end
  if kept == 0 then
    rcall('DEL', listKey)
  else
    for _, id in ipairs(gone) do rcall('LREM', listKey, 1, id) end
  end
end

local function drainZset(setKey)
  local ids = rcall('ZRANGE', setKey, 0, -1)
  local gone = {}
  for _, id in ipairs(ids) do
    if not keep[id] then removeHard(id); table.insert(gone, id) end
  end
  for from = 1, #gone, 7000 do rcall('ZREM', setKey, unpack(gone, from, math.min(from + 6999, #gone))) end
end

drainList(key('wait'))
drainList(key('paused'))
if ARGV[4] == '1' then drainZset(key('delayed')) end
drainZset(key('prioritized'))
return removed
