-- SPDX-License-Identifier: MIT
-- Bullpen's shared helpers for legacy Bull 3/4 queues (docs/bullmq-data-model.md §6).
-- Prepended to every action script of this folder. Calling convention as for BullMQ:
-- KEYS[1] = meta key (slot routing), ARGV[1] = base "prefix:name:", ARGV[2] = "0" (no
-- generations), ARGV[3] = now (ms), the action's own arguments from ARGV[4].
local rcall = redis.call
local base = ARGV[1]
local now = tonumber(ARGV[3])
local function key(s) return base .. s end

-- Bull picks the list by the meta-paused string.
local function targetList()
  if rcall('EXISTS', key('meta-paused')) == 1 then return key('paused') end
  return key('wait')
end

-- Bull keeps prioritized jobs inside the list, placed by the priority zset.
local function addWithPriority(priority, id, target)
  rcall('ZADD', key('priority'), priority, id)
  local count = rcall('ZCOUNT', key('priority'), 0, priority)
  local len = rcall('LLEN', target)
  local at = rcall('LINDEX', target, len - (count - 1))
  if at then rcall('LINSERT', target, 'BEFORE', at, id) else rcall('RPUSH', target, id) end
end

-- Workers PSUBSCRIBE "<base>waiting*"; the suffix is the publishing queue's token.
local function publishWaiting(id)
  rcall('PUBLISH', key('waiting@bullpen'), id)
end

local function removeDebounce(jobKey)
  local deid = rcall('HGET', jobKey, 'deid')
  if deid then rcall('DEL', key('de:' .. deid)) end
end

local function removeFromLimiter(id)
  local index = key('limiter:index')
  local limitedSet = rcall('HGET', index, id)
  if limitedSet then
    rcall('SREM', limitedSet, id)
    rcall('HDEL', index, id)
  end
end

local function argvFrom(first)
  local out = {}
  for i = first, #ARGV do table.insert(out, ARGV[i]) end
  return out
end
