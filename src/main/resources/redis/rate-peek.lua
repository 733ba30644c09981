-- Reads a mall's shared bucket for operators, changing nothing (the admin API's rate state).
-- KEYS[1]  the mall's bucket (RedisKeys.rate), as rate-acquire.lua keeps it
-- KEYS[2]  the mall's pause (RedisKeys.pause)
-- ARGV[1]  the drain interval in ms, 1000 / perSecond (decimal)
-- Returns { level, pause }: the calls the model counts in the bucket now (a decimal string, since Lua numbers
-- become integers in replies) and the ms left of Cafe24's pause (0: none).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local bucket = redis.call('HMGET', KEYS[1], 'tat', 'from')
local tat = tonumber(bucket[1]) or 0
local from = tonumber(bucket[2]) or 0
local level = math.max(0, (tat - math.max(now, from)) / tonumber(ARGV[1]))
local pause = math.max(0, redis.call('PTTL', KEYS[2]))
return { string.format('%.3f', level), pause }
