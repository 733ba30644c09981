-- Gives up on one event for one subscriber: acknowledges it in the subscriber's group and appends it to the dead
-- letters, in one step, so it is never both lost (acknowledged, not appended) nor dead twice (two instances giving
-- up on the same entry: only the one whose XACK still found it pending appends).
-- KEYS[1]  the webhook stream
-- KEYS[2]  the dead-letter stream (RedisKeys.webhookDeadLetters, same slot)
-- ARGV[1]  the subscriber's group
-- ARGV[2]  the event's id in the stream
-- ARGV[3]  the dead-letter stream's approximate maximum length
-- ARGV[4..] the dead letter's field, value pairs (the raw body last)
-- Returns the dead letter's id, or false when the event was no longer pending.
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return false
end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
