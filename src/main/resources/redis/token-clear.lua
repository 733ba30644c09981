-- Clears a mall's re-authorization mark without new tokens: unconditionally (an operator who knows better), or only
-- if the version is still the expected one (the mark read is the mark cleared: an app expiry extended webhook must
-- not clear a mark written since). Bumps the version, mark or no mark, so that every instance reloads the record.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  optional: the expected version (decimal)
-- Returns the record as HMGET v data updated reauth refresh would ('' for an absent field), or {0} when there is no
-- record or the version moved: nothing is written then (no half record is ever created).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0}
end
if ARGV[1] and redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then
  return {0}
end
local now = redis.call('TIME')
local updated = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'updated', updated)
redis.call('HDEL', KEYS[1], 'reauth')
return {version, redis.call('HGET', KEYS[1], 'data') or '', updated, '', redis.call('HGET', KEYS[1], 'refresh') or ''}
