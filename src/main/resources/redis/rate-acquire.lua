-- One call slot for a mall in the shared leaky bucket, timed by Redis's own clock so that every instance agrees.
-- The bucket is kept as GCRA: 'tat' is when the bucket will be empty again; each call pushes it one drain interval
-- further; a call fits while the bucket holds at most capacity - 1 calls, exactly as at Cafe24.
-- One difference, for safety: a busy period (the first call into an empty bucket) starts to drain only a margin
-- later ('from'), because Cafe24 starts to drain when that first call arrives, which may be well after we granted it
-- (a new connection, a TLS handshake), while later calls travel faster. Without it the first paced call after a
-- burst can reach Cafe24 a moment before its slot has drained there. A full burst of capacity calls still goes at
-- once; later calls of the busy period each go the margin later; the rate is unchanged.
-- KEYS[1]  the mall's bucket (RedisKeys.rate): a hash of 'tat' and 'from', ms since the epoch; expires when empty
-- KEYS[2]  the mall's pause (RedisKeys.pause): present while Cafe24 has asked us to wait
-- ARGV[1]  the drain interval in ms, 1000 / perSecond (decimal)
-- ARGV[2]  the capacity in calls
-- ARGV[3]  the margin in ms
-- Returns 0 when a slot is granted (and recorded), or the wait in ms (>= 1) before asking again (nothing recorded).
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then
  return paused
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local bucket = redis.call('HMGET', KEYS[1], 'tat', 'from')
local tat = tonumber(bucket[1]) or 0
local from = tonumber(bucket[2]) or 0
if tat <= now then
  from = now + tonumber(ARGV[3])
  tat = from
end
local over = tat - math.max(now, from) - (tonumber(ARGV[2]) - 1) * interval
if over > 0 then
  return math.ceil(tat - (tonumber(ARGV[2]) - 1) * interval - now)
end
tat = tat + interval
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat), 'from', string.format('%.3f', from))
redis.call('PEXPIRE', KEYS[1], math.ceil(tat - now))
return 0
