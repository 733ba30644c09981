-- Hands back a deployment-wide slot that rate-egress.lua granted but the mall's own bucket or pacing then refused, so
-- a lost race on one mall does not cost every other mall a slot. Only while no later grant has been made (the key
-- still holds what this grant wrote): deleting it then lets the next call go at once, which keeps the spacing, since
-- the grant before this one was at least one interval before it. After a later grant the slot stays spent: a slot
-- lost, never one too many.
-- KEYS[1]  the deployment's egress key (RedisKeys.egress)
-- ARGV[1]  the value the grant wrote (rate-egress.lua's handle)
-- Returns 1 when the slot was handed back, else 0.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
