-- SPDX-License-Identifier: MIT
-- Remove jobs of a Bull queue as Job.remove() does (Bull has no flows): ARGV[4] unused, ARGV[5]
-- optional state the job must be in, ARGV[6..] ids. A locked job is left alone.
-- Returns a flat list: id, outcome.
local requiredState = ARGV[5]
local out = {}
local function inState(id, s)
  if s == 'wait' or s == 'paused' or s == 'active' then return rcall('LPOS', key(s), id) ~= false end
  return rcall('ZSCORE', key(s), id) ~= false
end
for _, id in ipairs(argvFrom(6)) do
  local jobKey = key(id)
  local outcome = 'ok'
  if rcall('EXISTS', jobKey) == 0 then
    outcome = 'missing'
  elseif requiredState ~= '' and not inState(id, requiredState) then
    outcome = 'not-in-state'
  elseif rcall('EXISTS', jobKey .. ':lock') == 1 then
    outcome = 'locked'
  else
    rcall('LREM', key('active'), 0, id)
    rcall('LREM', key('wait'), 0, id)
    rcall('ZREM', key('delayed'), id)
    rcall('LREM', key('paused'), 0, id)
    rcall('ZREM', key('completed'), id)
    rcall('ZREM', key('failed'), id)
    rcall('ZREM', key('priority'), id)
    removeDebounce(jobKey)
    rcall('DEL', jobKey, jobKey .. ':logs')
    removeFromLimiter(id)
  end
  table.insert(out, id); table.insert(out, outcome)
end
return out
