-- Creates a fan-out subscriber's consumer group on the webhook stream (and the stream, when it does not exist yet),
-- unless the group exists: a restart or a second instance keeps the group and with it what was delivered.
-- KEYS[1]  the stream (RedisKeys.webhookStream)
-- ARGV[1]  the group (RedisKeys.webhookSubscriberGroup)
-- ARGV[2]  where a new group starts: $ (events from now on)
-- Returns 1 when the group was created, 0 when it existed.
local created = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], ARGV[2], 'MKSTREAM')
if type(created) == 'table' and created.err then
  if string.sub(created.err, 1, 9) == 'BUSYGROUP' then
    return 0
  end
  return redis.error_reply(created.err)
end
return 1
