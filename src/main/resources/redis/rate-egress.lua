-- One call slot of the whole deployment (every mall, every instance), when rateLimit.egressPerSecond caps it: the
-- pacing of rate-acquire.lua on one key for all malls, timed by Redis's clock. A separate script, asked before the
-- mall's, because on Redis Cluster a script may only touch keys of one slot: the mall's keys are in the mall's slot,
-- this key is in its own. RedisRateLimiter hands the slot back (rate-egress-release.lua) when the mall refuses.
-- KEYS[1]  the deployment's egress key (RedisKeys.egress): when the next call may go, ms since the epoch; expires
--          when due
-- ARGV[1]  the egress pace interval in ms (decimal), (1000 + slack) / egressPerSecond
-- Returns { 0, grant } when a slot is granted (and recorded), grant being the value written (a decimal string, the
-- handle to hand it back with); or { wait } with the wait in ms (>= 1) before asking again (nothing recorded).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local due = tonumber(redis.call('GET', KEYS[1])) or 0
if due > now then
  return { math.max(1, math.ceil(due - now)) }
end
local interval = tonumber(ARGV[1])
local written = string.format('%.3f', now + interval)
redis.call('SET', KEYS[1], written, 'PX', math.max(1, math.ceil(interval)))
return { 0, written }
