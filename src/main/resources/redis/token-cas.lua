-- Stores a mall's token record only if its version is still the expected one: the refresh protocol's write.
-- Clears a re-authorization mark; keeps the last refresh attempt.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the expected version (decimal)
-- ARGV[2]  the tokens as the codec wrote them
-- Returns the record as HMGET v data updated reauth refresh would ('' for an absent field), or {0} when the version
-- moved or the record is absent: nothing is written then. (Versions start at 1, so 0 is unambiguous.)
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then
  return {0}
end
local now = redis.call('TIME')
local updated = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'updated', updated)
redis.call('HDEL', KEYS[1], 'reauth')
return {version, ARGV[2], updated, '', redis.call('HGET', KEYS[1], 'refresh') or ''}
