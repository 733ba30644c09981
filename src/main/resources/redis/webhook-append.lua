-- Records one webhook event unless a copy of the same body was accepted within the de-duplication window. The
-- check, the append and the mark happen in one script, so no crash or failover can leave an event appended without
-- its mark (a resend would be recorded twice) or marked without being appended (it would be lost). The mark is
-- written last: should the append fail, nothing at all was written.
-- KEYS[1]  the body's de-duplication mark (RedisKeys.webhookDedup), in the stream's Cluster slot
-- KEYS[2]  the stream (RedisKeys.webhookStream)
-- ARGV[1]  the window in milliseconds
-- ARGV[2]  the stream's approximate maximum length (MAXLEN ~)
-- ARGV[3..] the entry's field, value pairs
-- Returns {1, id} when the event was appended, {0, id} for a copy of the event accepted earlier as id.
local seen = redis.call('GET', KEYS[1])
if seen then
  return {0, seen}
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
redis.call('SET', KEYS[1], id, 'PX', ARGV[1])
return {1, id}
