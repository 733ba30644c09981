-- Removes the consumers of a fan-out subscriber's group that restarts left behind: idle for at least ARGV[2] ms and
-- with no pending entries. A consumer with pending entries is never removed (XGROUP DELCONSUMER would drop them from
-- the pending list, and with them their retries). Check and removal are one atomic step, so a consumer cannot get a
-- pending entry in between; a live one removed while it had none is simply created again by its next read.
-- KEYS[1]  the webhook stream
-- ARGV[1]  the subscriber's group
-- ARGV[2]  the minimum idle time, ms
-- ARGV[3]  the calling instance's own consumer, always kept
-- Returns the number of consumers removed (0 when the group does not exist).
local consumers = redis.pcall('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if type(consumers) ~= 'table' or consumers.err then
  return 0
end
local removed = 0
local minIdle = tonumber(ARGV[2])
for _, consumer in ipairs(consumers) do
  local info = {}
  for i = 1, #consumer, 2 do
    info[consumer[i]] = consumer[i + 1]
  end
  if info['name'] ~= ARGV[3] and tonumber(info['pending']) == 0 and tonumber(info['idle']) >= minIdle then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    removed = removed + 1
  end
end
return removed
