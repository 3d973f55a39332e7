-- SPDX-License-Identifier: MIT
-- Retry failed jobs of a Bull queue. ARGV[4] state (Bull retries failed only), ARGV[5] mode: "ids"
-- retries ARGV[10..] as Job.retry() does (a locked job is refused, retriedOn set, a "waiting"
-- message published); "all" retries up to ARGV[6] jobs as Queue.retryJobs does (oldest first,
-- LPUSH, no message). Returns a flat list: id, outcome ("all": the retried ids only).
local failedKey = key('failed')
local out = {}
if ARGV[5] == 'all' then
  local ids = rcall('ZRANGE', failedKey, 0, tonumber(ARGV[6]) - 1)
  if #ids == 0 then return out end
  for _, id in ipairs(ids) do rcall('HDEL', key(id), 'finishedOn', 'processedOn', 'failedReason') end
  local target = targetList()
  for from = 1, #ids, 7000 do
    local to = math.min(from + 6999, #ids)
    rcall('ZREM', failedKey, unpack(ids, from, to))
    rcall('LPUSH', target, unpack(ids, from, to))
  end
  return ids -- every one retried: the ids alone (half the reply of id/outcome pairs)
end
for _, id in ipairs(argvFrom(10)) do
  local jobKey = key(id)
  local outcome = 'ok'
  if rcall('EXISTS', jobKey) == 0 then
    outcome = 'missing'
  elseif rcall('EXISTS', jobKey .. ':lock') == 1 then
    outcome = 'locked'
  elseif rcall('ZREM', failedKey, id) == 0 then
    outcome = 'not-in-state'
  else
    rcall('HDEL', jobKey, 'finishedOn', 'processedOn', 'failedReason')
    rcall('HSET', jobKey, 'retriedOn', now)
    local push = 'LPUSH'
    local opts = rcall('HGET', jobKey, 'opts')
    if opts then
      local ok, decoded = pcall(cjson.decode, opts)
      if ok and type(decoded) == 'table' and decoded['lifo'] == true then push = 'RPUSH' end
    end
    rcall(push, targetList(), id)
    publishWaiting(id)
  end
  table.insert(out, id); table.insert(out, outcome)
end
return out
