-- A mall's counts per app over a window (usage.AppUsage), every instance's summed: the hashes app-usage-put.lua
-- writes, one per minute.
-- KEYS     the mall's minutes of the window (RedisKeys.appUsage), all in the mall's hash slot; missing ones are empty
-- Returns a flat array: app, calls, cafe24 calls, cafe24 429s, app, ... (decimal strings), in no particular order.
local totals, order = {}, {}
for _, key in ipairs(KEYS) do
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    local app = string.match(fields[i], '^[^|]*|(.+)$')
    local c, u, t = string.match(fields[i + 1], '^(%d+) (%d+) (%d+)$')
    if app and c then
      local sum = totals[app]
      if not sum then
        sum = {0, 0, 0}
        totals[app] = sum
        order[#order + 1] = app
      end
      sum[1], sum[2], sum[3] = sum[1] + tonumber(c), sum[2] + tonumber(u), sum[3] + tonumber(t)
    end
  end
end
local reply = {}
for _, app in ipairs(order) do
  local sum = totals[app]
  reply[#reply + 1] = app
  reply[#reply + 1] = string.format('%d', sum[1])
  reply[#reply + 1] = string.format('%d', sum[2])
  reply[#reply + 1] = string.format('%d', sum[3])
end
return reply
