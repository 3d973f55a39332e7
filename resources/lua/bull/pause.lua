-- SPDX-License-Identifier: MIT
-- Pause or resume a Bull queue (ARGV[4] "paused" | "resumed"): the wait list becomes the paused
-- list (and back), merged rather than renamed over a list that already holds jobs; meta-paused
-- and meta.paused set or cleared; the paused/resumed message published. Returns the number of
-- jobs still to move (call again while > 0).
local from, to = key('wait'), key('paused')
if ARGV[4] ~= 'paused' then from, to = to, from end
local remaining = 0
if rcall('EXISTS', from) == 1 then
  if rcall('EXISTS', to) == 0 then
    rcall('RENAME', from, to)
  else
    local ids = rcall('LRANGE', from, 0, 6999)
    rcall('RPUSH', to, unpack(ids))
    rcall('LTRIM', from, #ids, -1)
    remaining = rcall('LLEN', from)
  end
end
if ARGV[4] == 'paused' then
  rcall('SET', key('meta-paused'), 1)
  rcall('HSET', key('meta'), 'paused', 1)
else
  rcall('DEL', key('meta-paused'))
  rcall('HDEL', key('meta'), 'paused')
end
if ARGV[5] ~= '0' then rcall('PUBLISH', key(ARGV[4]), ARGV[4]) end
return remaining
