-- One instance's counts of one mall's minute, per app (usage.AppUsage): a hash of "<instance>|<app>" to
-- "<calls> <cafe24 calls> <cafe24 429s>", summed over instances and minutes by app-usage-read.lua.
-- KEYS[1]  the mall's minute (RedisKeys.appUsage)
-- ARGV[1]  seconds the key lives after this write (longer than the hour the admin view reads)
-- ARGV[2]  the writing instance's id (random per start)
-- ARGV[3..] app, counts pairs: the counts of each app in that minute, as that instance holds them
-- Counts only grow, so each is kept as the larger of the stored and the given one: a write sent again after its
-- answer was lost, or overtaken by a newer one, changes nothing.
for i = 3, #ARGV, 2 do
  local field = ARGV[2] .. '|' .. ARGV[i]
  local c, u, t = string.match(ARGV[i + 1], '^(%d+) (%d+) (%d+)$')
  if c then
    c, u, t = tonumber(c), tonumber(u), tonumber(t)
    local stored = redis.call('HGET', KEYS[1], field)
    if stored then
      local sc, su, st = string.match(stored, '^(%d+) (%d+) (%d+)$')
      if sc then
        c, u, t = math.max(c, tonumber(sc)), math.max(u, tonumber(su)), math.max(t, tonumber(st))
      end
    end
    redis.call('HSET', KEYS[1], field, string.format('%d %d %d', c, u, t))
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
