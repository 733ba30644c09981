-- Stores a mall's token record only if its version is still the expected one: the refresh protocol's write.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the expected version (decimal)
-- ARGV[2]  the Cafe24 token response as JSON
-- Returns {new version, updated (epoch millis, Redis server time)}, or {0, 0} when the version moved or the record
-- is absent: nothing is written then. (An array either way: a nil or false reply reads differently in RESP2 and
-- RESP3, and versions start at 1, so 0 is unambiguous.)
local current = redis.call('HGET', KEYS[1], 'v')
if current ~= ARGV[1] then
  return {0, 0}
end
local now = redis.call('TIME')
local updated = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'updated', string.format('%d', updated))
return {version, updated}
