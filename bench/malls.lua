-- wrk script of bench/run.sh: spreads the load over many malls, so that a rate-limited gateway is measured below
-- each mall's budget (Cafe24's drain of 2 calls/s per mall, paced at rateLimit.maxPerSecond) rather than at it.
--   wrk -t THREADS ... -s bench/malls.lua http://host:port -- COUNT PREFIX PATH THREADS
-- Request k of wrk thread t goes to mall PREFIX<(t + k * THREADS) mod COUNT>: the threads take turns through the
-- malls, so each mall is called once per COUNT requests, never by two threads at once.
local started = 0

function setup(thread) -- runs in wrk's main Lua state, once per thread, before any init()
  thread:set("first", started)
  started = started + 1
end

function init(args) -- runs in the thread's own Lua state
  count, prefix, path, step = tonumber(args[1]), args[2], args[3], tonumber(args[4])
  i = first % count
end

function request()
  local p = "/malls/" .. prefix .. i .. path
  i = (i + step) % count
  return wrk.format("GET", p)
end
