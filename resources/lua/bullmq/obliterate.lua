-- SPDX-License-Identifier: MIT
-- One budgeted call of Queue.obliterate() (spec §4.8); the caller pauses the queue first and
-- calls again while the status is 1. ARGV[4] = budget (jobs per call), ARGV[5] = "1" to force
-- past active jobs. Returns {status, removed}: -1 the queue is not paused, -2 it has active jobs
-- and force was not given, 1 call again, 0 done (the queue's bookkeeping keys are gone too).
-- Order as the library: active, delayed, (5.x+) job schedulers, completed, (6.x) wait, paused,
-- prioritized, failed. waiting-children is not touched: same-queue parents go with their last
-- child (hard parent detach), parents waiting on other queues survive.
local budget = tonumber(ARGV[4])
local removed = 0

if rcall('HEXISTS', metaKey, 'paused') ~= 1 then return { -1, 0 } end

local function removeHard(id)
  local jobKey = key(id)
  detachFromParent(jobKey, true)
  releaseDedup(base, id, jobKey)
  deleteJobKeys(jobKey)
  removed = removed + 1
end

local function fromList(listKey)
  local ids = rcall('LRANGE', listKey, 0, budget - 1)
  for _, id in ipairs(ids) do removeHard(id) end
  rcall('LTRIM', listKey, #ids, -1)
  budget = budget - #ids
  return budget <= 0
end

local function fromZset(setKey)
  local ids = rcall('ZRANGE', setKey, 0, budget - 1)
  for _, id in ipairs(ids) do removeHard(id) end
  for from = 1, #ids, 7000 do rcall('ZREM', setKey, unpack(ids, from, math.min(from + 6999, #ids))) end
  budget = budget - #ids
  return budget <= 0
end

local activeKey = key('active')
local active = rcall('LRANGE', activeKey, 0, budget - 1)
if #active > 0 and ARGV[5] ~= '1' then return { -2, 0 } end
for _, id in ipairs(active) do rcall('DEL', key(id) .. ':lock') end
for _, id in ipairs(active) do removeHard(id) end
rcall('LTRIM', activeKey, #active, -1)
budget = budget - #active
if budget <= 0 then return { 1, removed } end

if fromZset(key('delayed')) then return { 1, removed } end
if gen >= 5 then
  local repeatKey = key('repeat')
  local ids = rcall('ZRANGE', repeatKey, 0, budget - 1)
  for _, id in ipairs(ids) do rcall('DEL', repeatKey .. ':' .. id) end
  for from = 1, #ids, 7000 do rcall('ZREM', repeatKey, unpack(ids, from, math.min(from + 6999, #ids))) end
  budget = budget - #ids
  if budget <= 0 then return { 1, removed } end
end
if fromZset(key('completed')) then return { 1, removed } end
if gen >= 6 and fromList(key('wait')) then return { 1, removed } end
if fromList(key('paused')) then return { 1, removed } end
if fromZset(key('prioritized')) then return { 1, removed } end
if fromZset(key('failed')) then return { 1, removed } end

local last = { 'events', 'delay', 'stalled-check', 'stalled', 'id', 'pc' }
if gen >= 5 then table.insert(last, 'marker') end
table.insert(last, 'meta')
if gen < 5 then table.insert(last, 'repeat') end
for _, k in ipairs({ 'metrics:completed', 'metrics:completed:data', 'metrics:failed', 'metrics:failed:data' }) do
  table.insert(last, k)
end
for i, k in ipairs(last) do last[i] = key(k) end
rcall('DEL', unpack(last))
return { 0, removed }
