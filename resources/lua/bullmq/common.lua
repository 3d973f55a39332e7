-- SPDX-License-Identifier: MIT
-- Bullpen's shared helpers for BullMQ 4/5/6 queues, written from the step lists of
-- docs/bullmq-data-model.md §4. Prepended to every action script of this folder.
-- Calling convention of every action: KEYS[1] = the queue's meta key (routes the call to the
-- queue's slot); ARGV[1] = base "prefix:name:", ARGV[2] = generation 4|5|6, ARGV[3] = now (ms),
-- then the action's own arguments from ARGV[4].
local rcall = redis.call
local base = ARGV[1]
local gen = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local function key(s) return base .. s end
local metaKey = key('meta')

-- meta.paused, or a global concurrency that the active list already reaches (5.x+).
local function pausedOrMaxed(queueBase)
  local meta = rcall('HMGET', queueBase .. 'meta', 'paused', 'concurrency')
  if meta[1] then return true end
  if gen >= 5 and meta[2] then
    return rcall('LLEN', queueBase .. 'active') >= tonumber(meta[2])
  end
  return false
end

-- The list a ready job goes to: 6.x always wait; older generations the paused list while paused.
local function targetList(queueBase)
  if gen < 6 and rcall('HEXISTS', queueBase .. 'meta', 'paused') == 1 then
    return queueBase .. 'paused'
  end
  return queueBase .. 'wait'
end

local function addBaseMarker(queueBase, isPausedOrMaxed)
  if gen >= 5 and not isPausedOrMaxed then rcall('ZADD', queueBase .. 'marker', 0, '0') end
end

local function addPrioritized(queueBase, priority, id, isPausedOrMaxed)
  local counter = rcall('INCR', queueBase .. 'pc')
  rcall('ZADD', queueBase .. 'prioritized', priority * 0x100000000 + counter % 0x100000000, id)
  addBaseMarker(queueBase, isPausedOrMaxed)
end

local function maxEvents()
  local m = rcall('HGET', metaKey, 'opts.maxLenEvents')
  if not m then
    m = 10000
    rcall('HSET', metaKey, 'opts.maxLenEvents', m)
  end
  return m
end

local function addDelayMarker(queueBase)
  local first = rcall('ZRANGE', queueBase .. 'delayed', 0, 0, 'WITHSCORES')
  if first[2] then rcall('ZADD', queueBase .. 'marker', tonumber(first[2]) / 0x1000, '1') end
end

-- A retried child goes back into its parent's dependencies (5.58.2+).
local function childBackToParent(jobKey, prevState)
  local parentKey = rcall('HGET', jobKey, 'parentKey')
  if parentKey and rcall('EXISTS', parentKey) == 1 then
    if prevState == 'failed' then
      if rcall('ZREM', parentKey .. ':unsuccessful', jobKey) == 1 or rcall('HDEL', parentKey .. ':failed', jobKey) == 1 then
        rcall('SADD', parentKey .. ':dependencies', jobKey)
      end
    elseif rcall('HDEL', parentKey .. ':processed', jobKey) == 1 then
      rcall('SADD', parentKey .. ':dependencies', jobKey)
    end
  end
end

-- "prefix:queue:id" → "prefix:queue:", id: the id is what follows the last ':' (as BullMQ
-- splits child keys).
local function splitJobKey(jobKey)
  local id = string.match(jobKey, '.*:(.*)')
  return string.sub(jobKey, 1, #jobKey - #id), id
end

local function deleteJobKeys(jobKey)
  return rcall('DEL', jobKey, jobKey .. ':logs', jobKey .. ':dependencies', jobKey .. ':processed',
    jobKey .. ':failed', jobKey .. ':unsuccessful')
end

local function releaseDedup(queueBase, id, jobKey)
  local deid = rcall('HGET', jobKey, 'deid')
  if deid and rcall('GET', queueBase .. 'de:' .. deid) == id then
    rcall('DEL', queueBase .. 'de:' .. deid, queueBase .. 'dn:' .. deid)
  end
end

-- Detach a removed job from its parent. soft (remove): an emptied parent in waiting-children
-- goes to its queue's wait with a "waiting" event. hard (clean): an emptied parent of the same
-- queue is deleted too (and so on upwards); one of another queue goes to wait without event.
local function detachFromParent(jobKey, hard)
  local parentKey = rcall('HGET', jobKey, 'parentKey')
  if not parentKey or rcall('EXISTS', parentKey) == 0 then return end
  if rcall('SREM', parentKey .. ':dependencies', jobKey) == 0 then return end
  if rcall('SCARD', parentKey .. ':dependencies') > 0 then return end
  local parentBase, parentId = splitJobKey(parentKey)
  if rcall('ZREM', parentBase .. 'waiting-children', parentId) == 0 then return end
  if hard and parentBase == base then
    detachFromParent(parentKey, true)
    deleteJobKeys(parentKey)
    return
  end
  rcall('RPUSH', targetList(parentBase), parentId)
  addBaseMarker(parentBase, pausedOrMaxed(parentBase))
  if not hard then
    rcall('XADD', parentBase .. 'events', '*', 'event', 'waiting', 'jobId', parentId, 'prev', 'waiting-children')
  end
end

-- The current iteration of a job scheduler must stay (remove the scheduler instead).
local function isSchedulerIteration(id, jobKey)
  local rjk = rcall('HGET', jobKey, 'rjk')
  if not rjk then return false end
  local score = rcall('ZSCORE', key('repeat'), rjk)
  return score ~= false and score ~= nil and id == ('repeat:' .. rjk .. ':' .. score)
end

local function isLegacyMarker(id) return string.sub(id, 1, 2) == '0:' end

-- ARGV from index `first` as a list.
local function argvFrom(first)
  local out = {}
  for i = first, #ARGV do table.insert(out, ARGV[i]) end
  return out
end
