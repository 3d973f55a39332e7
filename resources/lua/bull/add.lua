-- SPDX-License-Identifier: MIT
-- Add one job as Bull's Queue.add(name, data, {delay, priority, attempts, lifo}) does with an
-- automatic id (addJob-6). ARGV[4] name, ARGV[5] data (JSON text), ARGV[6] opts (JSON text as
-- Bull stores it), ARGV[7] delay (ms), ARGV[8] priority, ARGV[9] "1" for LIFO; the timestamp is
-- ARGV[3]. Publishes what Bull publishes. Returns {id, "ok"}.
local delay, priority = tonumber(ARGV[7]), tonumber(ARGV[8])
local counter = rcall('INCR', key('id'))
local id = tostring(counter)
rcall('HMSET', key(id), 'name', ARGV[4], 'data', ARGV[5], 'opts', ARGV[6], 'timestamp', now, 'delay', delay,
  'priority', priority)
if delay > 0 then
  local runAt = now + delay
  rcall('ZADD', key('delayed'), runAt * 0x1000 + bit.band(counter, 0xfff), id)
  rcall('PUBLISH', key('delayed'), runAt)
else
  local target = targetList()
  if priority == 0 then
    rcall(ARGV[9] == '1' and 'RPUSH' or 'LPUSH', target, id)
  else
    addWithPriority(priority, id, target)
  end
  publishWaiting(id)
end
return { id, 'ok' }
