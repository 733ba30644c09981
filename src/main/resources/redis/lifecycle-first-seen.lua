-- When a mall's app lifecycle event body (90077, 90078, 90079) was first seen, kept for as long as the mall is known
-- rather than for the de-duplication window: a captured event replayed months later is recognised as old.
-- KEYS[1]  the mall's lifecycle ledger (RedisKeys.lifecycle): a hash of body SHA-256 to first sighting, ms
-- ARGV[1]  the body's SHA-256 (hex)
-- ARGV[2]  this sighting, ms since the epoch
-- ARGV[3]  the most bodies kept for one mall: past it the ledger starts again (only a sender holding the webhook key
--          can make that many distinct events, and such a sender can forge a fresh one anyway)
-- Returns the first sighting, ms (a decimal string).
local first = redis.call('HGET', KEYS[1], ARGV[1])
if first then
  return first
end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
