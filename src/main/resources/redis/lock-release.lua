-- Releases a lock, only for its owner: a holder whose lease ran out must never delete its successor's lock.
-- KEYS[1]  the lock (RedisKeys.lock)
-- ARGV[1]  the owner token the lock was taken with
-- Returns 1 when released, 0 when it was no longer ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
