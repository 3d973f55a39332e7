-- SPDX-License-Identifier: MIT
-- One budgeted call of Bull's Queue.obliterate() (obliterate-2); the caller pauses the queue
-- first and calls again while the status is 1. ARGV[4] = budget, ARGV[5] = "1" to force past
-- active jobs. Returns {status, removed}: -1 not paused (no meta-paused), -2 active jobs without
-- force, 1 call again, 0 done. Order as Bull: active, paused, delayed, completed, failed; then the
-- queue's bookkeeping keys. Bull has no flows; debounce keys of removed jobs are released.
local budget = tonumber(ARGV[4])
local removed = 0

if rcall('EXISTS', key('meta-paused')) ~= 1 then return { -1, 0 } end

local function removeIds(ids)
  for _, id in ipairs(ids) do
    local jobKey = key(id)
    rcall('DEL', jobKey, jobKey .. ':logs')
    removeDebounce(jobKey)
  end
  removed = removed + #ids
  budget = budget - #ids
end

local function fromList(listKey)
  local ids = rcall('LRANGE', listKey, 0, budget - 1)
  removeIds(ids)
  rcall('LTRIM', listKey, #ids, -1)
  return budget <= 0
end

local function fromZset(setKey)
  local ids = rcall('ZRANGE', setKey, 0, budget - 1)
  removeIds(ids)
  for from = 1, #ids, 7000 do rcall('ZREM', setKey, unpack(ids, from, math.min(from + 6999, #ids))) end
  return budget <= 0
end

local activeKey = key('active')
local active = rcall('LRANGE', activeKey, 0, budget - 1)
if #active > 0 and ARGV[5] ~= '1' then return { -2, 0 } end
for _, id in ipairs(active) do rcall('DEL', key(id) .. ':lock') end
removeIds(active)
rcall('LTRIM', activeKey, #active, -1)
if budget <= 0 then return { 1, removed } end
if fromList(key('paused')) then return { 1, removed } end
if fromZset(key('delayed')) then return { 1, removed } end
if fromZset(key('completed')) then return { 1, removed } end
if fromZset(key('failed')) then return { 1, removed } end

local last = {}
for _, k in ipairs({ 'priority', 'stalled-check', 'stalled', 'meta-paused', 'meta', 'id', 'repeat', 'metrics:completed',
  'metrics:completed:data', 'metrics:failed', 'metrics:failed:data' }) do
  table.insert(last, key(k))
end
rcall('DEL', unpack(last))
return { 0, removed }
