-- Marks a mall as needing re-authorization, only if its version is still the expected one: a refresh made meanwhile
-- proves the refresh token was alive. Bumps the version so that every instance reloads the record.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the expected version (decimal)
-- ARGV[2]  the mark as JSON {"reason","detail","at"}
-- Returns the record as HMGET v data updated reauth refresh would ('' for an absent field), or {0} when the version
-- moved or the record is absent: nothing is written then.
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then
  return {0}
end
local now = redis.call('TIME')
local updated = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'reauth', ARGV[2], 'updated', updated)
return {version, redis.call('HGET', KEYS[1], 'data') or '', updated, ARGV[2],
  redis.call('HGET', KEYS[1], 'refresh') or ''}
