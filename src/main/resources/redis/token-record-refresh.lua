-- Notes how a mall's last refresh attempt ended. The version does not change: this is for operators, not a new
-- token. Only an existing record is touched, so a late note after a delete never creates a half record.
-- KEYS[1]  the mall's token hash (RedisKeys.token)
-- ARGV[1]  the attempt as JSON {"at","outcome","detail"}
-- Returns 1 when written, 0 when there is no record.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'refresh', ARGV[1])
return 1
