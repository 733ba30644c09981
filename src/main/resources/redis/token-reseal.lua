-- Replaces a mall's stored tokens with the same tokens sealed under the primary key (key rotation), only if the
-- stored string is still the one that was re-sealed: a write meanwhile (already under the primary key) wins. Neither
-- the version nor the time changes, since the tokens are the same.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the stored string that was read and re-sealed
-- ARGV[2]  the re-sealed string
-- Returns 1 when written, 0 when the record changed or is gone.
if redis.call('HGET', KEYS[1], 'data') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 1
