-- Stores a mall's token record whatever was there before (install, import).
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the Cafe24 token response as JSON
-- Returns {new version, updated (epoch millis, Redis server time)}.
--
-- The time comes from the server so that every gateway instance stamps records with one clock. Redis >= 5
-- replicates a script's effects, not the script, so reading TIME before writing is allowed.
local now = redis.call('TIME')
local updated = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'updated', string.format('%d', updated))
return {version, updated}
