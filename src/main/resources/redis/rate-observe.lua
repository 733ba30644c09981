-- Corrects a mall's shared bucket with what Cafe24 reported: Cafe24 is the truth, the model only a forecast.
-- KEYS[1]  the mall's bucket (RedisKeys.rate), as rate-acquire.lua keeps it
-- KEYS[2]  the mall's pause (RedisKeys.pause)
-- ARGV[1]  the drain interval in ms, 1000 / perSecond (decimal)
-- ARGV[2]  a pause in ms (0: none): a 429 or an X-Cafe24-*-Remain wait. It only ever extends a pause already set:
--          an older or shorter answer must not shorten Cafe24's block (calling while blocked prolongs it)
-- ARGV[3]  the calls Cafe24 counts in the bucket (X-Api-Call-Limit used, scaled to our capacity); -1: not reported
-- Returns 1 when the bucket was raised, else 0. The bucket is only ever raised, so calls already granted stay
-- counted; and only when Cafe24 counts a whole call more than the model (its count is a whole number, the model's
-- level a fraction).
local pause = tonumber(ARGV[2])
if pause > 0 and redis.call('PTTL', KEYS[2]) < pause then
  redis.call('SET', KEYS[2], '1', 'PX', pause)
end
local used = tonumber(ARGV[3])
if used < 0 then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local bucket = redis.call('HMGET', KEYS[1], 'tat', 'from', 'next')
local tat = tonumber(bucket[1]) or 0
local from = tonumber(bucket[2]) or 0
-- rate-acquire.lua's pacing: the key must not expire (and forget it) before the mall is idle
local due = tonumber(bucket[3]) or 0
if tat <= now then
  tat = now
  from = now
end
local start = math.max(now, from)
if used <= math.ceil((tat - start) / interval - 1e-6) then
  return 0
end
tat = start + used * interval
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat), 'from', string.format('%.3f', from))
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(tat, due + 1000) - now))
return 1
