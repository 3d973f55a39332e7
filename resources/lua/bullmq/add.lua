-- SPDX-License-Identifier: MIT
-- Add one job as Queue.add(name, data, {delay, priority, attempts, lifo}) does with an
-- automatic id (spec §3, the addStandardJob / addDelayedJob / addPrioritizedJob scripts).
-- ARGV[4] name, ARGV[5] data (JSON text), ARGV[6] opts (JSON text, as the library stores it),
-- ARGV[7] delay (ms), ARGV[8] priority, ARGV[9] "1" for LIFO. The timestamp is ARGV[3] (now).
-- Returns {id, "ok"}.
local name, data, opts = ARGV[4], ARGV[5], ARGV[6]
local delay, priority = tonumber(ARGV[7]), tonumber(ARGV[8])
local counter = rcall('INCR', key('id'))
local m = maxEvents()
local id = tostring(counter)
local jobKey = key(id)
rcall('HMSET', jobKey, 'name', name, 'data', data, 'opts', opts, 'timestamp', now, 'delay', delay,
  'priority', priority)
rcall('XADD', key('events'), '*', 'event', 'added', 'jobId', id, 'name', name)

if delay > 0 then
  local runAt = now + delay
  local score
  if gen >= 5 then
    -- Same-millisecond sequencing: one above the highest score already at that millisecond.
    local minScore, maxScore = runAt * 0x1000, (runAt + 1) * 0x1000 - 1
    local top = rcall('ZREVRANGEBYSCORE', key('delayed'), maxScore, minScore, 'WITHSCORES', 'LIMIT', 0, 1)
    score = minScore
    if top[2] then score = math.min(tonumber(top[2]) + 1, maxScore) end
  else
    score = runAt * 0x1000 + bit.band(counter, 0xfff)
  end
  rcall('ZADD', key('delayed'), score, id)
  rcall('XADD', key('events'), 'MAXLEN', '~', m, '*', 'event', 'delayed', 'jobId', id, 'delay', runAt)
  if gen >= 5 then
    addDelayMarker(base)
  else
    -- 4.x keeps the delay marker "0:<next run>" in the (only or first) slot of the target list.
    local target = targetList(base)
    local len = rcall('LLEN', target)
    if len <= 1 then
      local first = rcall('ZRANGE', key('delayed'), 0, 0, 'WITHSCORES')
      if first[2] then
        local nextRun = tonumber(first[2]) / 0x1000
        if len == 1 then
          local old = tonumber(string.sub(rcall('LINDEX', target, 0), 3))
          if old and old > nextRun then rcall('LSET', target, 0, '0:' .. nextRun) end
        else
          rcall('LPUSH', target, '0:' .. nextRun)
        end
      end
    end
  end
elseif priority > 0 then
  local isPausedOrMaxed = pausedOrMaxed(base)
  local counterValue = rcall('INCR', key('pc'))
  rcall('ZADD', key('prioritized'), priority * 0x100000000 + counterValue % 0x100000000, id)
  if gen >= 5 then
    addBaseMarker(base, isPausedOrMaxed)
  elseif rcall('HEXISTS', metaKey, 'paused') ~= 1 and rcall('LLEN', key('wait')) == 0 then
    rcall('LPUSH', key('wait'), '0:0')
  end
  rcall('XADD', key('events'), 'MAXLEN', '~', m, '*', 'event', 'waiting', 'jobId', id)
else
  local isPausedOrMaxed = pausedOrMaxed(base)
  rcall(ARGV[9] == '1' and 'RPUSH' or 'LPUSH', targetList(base), id)
  addBaseMarker(base, isPausedOrMaxed)
  rcall('XADD', key('events'), 'MAXLEN', '~', m, '*', 'event', 'waiting', 'jobId', id)
end
return { id, 'ok' }
