-- Renews a lock's lease, only for its owner.
-- KEYS[1]  the lock (RedisKeys.lock)
-- ARGV[1]  the owner token the lock was taken with
-- ARGV[2]  the new lease in milliseconds
-- Returns 1 when renewed, 0 when the lock is gone or held by someone else (then the caller must stop).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
