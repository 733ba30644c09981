-- One call slot for a mall in the shared leaky bucket, timed by Redis's own clock so that every instance agrees.
-- The bucket is kept as GCRA: 'tat' is when the bucket will be empty again; each call pushes it one drain interval
-- further; a call fits while the bucket holds at most capacity - 1 calls, exactly as at Cafe24.
-- One difference, for safety: a busy period (the first call into an empty bucket) starts to drain only a margin
-- later ('from'), because Cafe24 starts to drain when that first call arrives, which may be well after we granted it
-- (a new connection, a TLS handshake), while later calls travel faster. Without it the first paced call after a
-- burst can reach Cafe24 a moment before its slot has drained there. A full burst of capacity calls still goes at
-- once; later calls of the busy period each go the margin later; the rate is unchanged.
-- Pacing: 'next' is the earliest time the mall's next call may go; each grant sets it one pace interval later (the
-- first after the mall was idle, a second or more past 'next', the pace margin later still, for the reason of
-- 'from'), so a full bucket is spent as a paced stream, not a spike (Cafe24 may judge 10 or more calls a second
-- abnormal). The pace interval is a little wider than 1000 / maxPerSecond (RateBudget.PACE_SLACK_MILLIS says why).
-- A slot is granted only when the bucket and the pacing both allow it, and then both are recorded, in this one
-- atomic step.
-- KEYS[1]  the mall's bucket (RedisKeys.rate): a hash of 'tat', 'from' and 'next', ms since the epoch; expires when
--          the bucket is empty and the mall idle
-- KEYS[2]  the mall's pause (RedisKeys.pause): present while Cafe24 has asked us to wait
-- ARGV[1]  the drain interval in ms, 1000 / perSecond (decimal)
-- ARGV[2]  the capacity in calls
-- ARGV[3]  the margin in ms
-- ARGV[4]  the pace interval in ms (decimal); 0: no pacing
-- ARGV[5]  the pace margin in ms: the call after an idle mall's first goes this much later still, in case that
--          first call reaches Cafe24 late (RateBudget.paceMargin says when it is 0)
-- Returns { wait, room }. wait: 0 when a slot is granted (and recorded), or the wait in ms (>= 1) before asking again
-- (nothing recorded). room: the calls the bucket would still take now, pacing aside (after this grant, if granted);
-- -1 while paused. The waiting room estimates its queue's waits from it.
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then
  return { paused, -1 }
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = (tonumber(ARGV[2]) - 1) * interval
local pace = tonumber(ARGV[4])
local bucket = redis.call('HMGET', KEYS[1], 'tat', 'from', 'next')
local tat = tonumber(bucket[1]) or 0
local from = tonumber(bucket[2]) or 0
local due = tonumber(bucket[3]) or 0
-- RateBudget.PACE_IDLE_MILLIS
local idle = due + 1000 <= now
if tat <= now then
  from = now + tonumber(ARGV[3])
  tat = from
end
local start = math.max(now, from)
local function room(level)
  return math.max(0, math.floor((burst - level) / interval + 1e-9) + 1)
end
local wait = 0
if tat - start > burst then
  wait = tat - burst - now
end
if due - now > wait then
  wait = due - now
end
if wait > 0 then
  return { math.max(1, math.ceil(wait)), room(tat - start) }
end
tat = tat + interval
due = now + pace
if idle then
  due = due + tonumber(ARGV[5])
end
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat), 'from', string.format('%.3f', from),
  'next', string.format('%.3f', due))
local keep = tat
if pace > 0 then
  -- until the mall is idle: forgotten sooner, the next call would pass for the first after idling (one margin lost)
  keep = math.max(tat, due + 1000)
end
redis.call('PEXPIRE', KEYS[1], math.ceil(keep - now))
return { 0, room(tat - start) }
