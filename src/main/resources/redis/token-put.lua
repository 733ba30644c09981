-- Stores a mall's token record whatever was there before (install, import). Clears a re-authorization mark; keeps
-- the last refresh attempt.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the tokens as the codec wrote them (sealed, or Cafe24's JSON)
-- Returns the record as HMGET v data updated reauth refresh would, with '' for an absent field (a nil inside a
-- reply array reads differently in RESP2 and RESP3).
--
-- The time comes from the server so that every gateway instance stamps records with one clock. Redis >= 5
-- replicates a script's effects, not the script, so reading TIME before writing is allowed.
local now = redis.call('TIME')
local updated = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'updated', updated)
redis.call('HDEL', KEYS[1], 'reauth')
return {version, ARGV[1], updated, '', redis.call('HGET', KEYS[1], 'refresh') or ''}
